"""Time the brokers in Docker: `runner.py up redis|rabbitmq` from nothing to a broker that answers,
`up` again (reuse), and lesson 1 end to end on the Docker Redis (started by the lesson itself, and reused).

    python bench/bench_docker.py [--runs 5] [--services redis,rabbitmq]

Uses its own container names (project celery-classroom-bench) on free ports, and removes them after.
Results also go to bench/results/docker.json.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "CLASSROOM_LANG": "en", "CLASSROOM_DOCKER": "on", "CLASSROOM_DOCKER_PROJECT": "celery-classroom-bench",
       "CLASSROOM_REDIS_DEFAULT": "redis://127.0.0.1:1/0", "CLASSROOM_AMQP_DEFAULT": "amqp://guest:guest@127.0.0.1:1//"}


def free_port(span: int = 0) -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1] % 20000 + 20000
        if all(socket.socket().connect_ex(("127.0.0.1", p)) for p in {port, port + span}):
            return port


def timed(*args: str, **env: str) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "runner.py", *args], cwd=ROOT, env={**ENV, **env},
                          capture_output=True, text=True)
    if proc.returncode == 1 and args[0] == "lesson":  # a step claim failed; the timing still counts
        print(f"  note: lesson 1 had a failed step: {proc.stdout.strip().splitlines()[-1]}")
    elif proc.returncode:
        sys.exit(f"runner.py {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return time.perf_counter() - started


def summary(name: str, times: list[float]) -> dict:
    row = {"case": name, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "runs": len(times)}
    print(f"{name:55} median {row['median_s']:.2f} s  (min {row['min_s']:.2f}, max {row['max_s']:.2f}, n={len(times)})")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", default="redis,rabbitmq")
    args = parser.parse_args()
    rows = []
    try:
        for service in args.services.split(","):
            fresh, again = [], []
            for _ in range(args.runs):
                timed("down", service)
                fresh.append(timed("up", service, "--port", str(free_port(10000 if service == "rabbitmq" else 0))))
                again.append(timed("up", service))
            rows.append(summary(f"up {service}: nothing -> ready", fresh))
            rows.append(summary(f"up {service} again: reuse", again))
        if "redis" in args.services:
            first, reuse = [], []
            for _ in range(args.runs):
                timed("down", "redis")
                first.append(timed("lesson", "1", "--broker", "redis", CLASSROOM_DOCKER_REDIS_PORT=str(free_port())))
                reuse.append(timed("lesson", "1", "--broker", "redis"))
            rows.append(summary("lesson 1 --broker redis, lesson starts Docker Redis", first))
            rows.append(summary("lesson 1 --broker redis on the running Docker Redis", reuse))
    finally:
        subprocess.run([sys.executable, "runner.py", "down"], cwd=ROOT, env=ENV, capture_output=True)
    out = ROOT / "bench" / "results" / "docker.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
