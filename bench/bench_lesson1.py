"""Time `python runner.py lesson 1` per mode against a minimal `start_worker` script.

    python bench/bench_lesson1.py [--runs 5] [--modes memory,redis,rabbitmq]

Prints, per case, the median and min/max wall time and the peak memory (max RSS) of the runner
process itself (worker processes in Redis/RabbitMQ mode are separate and not counted).
Results also go to bench/results/lesson1.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of one run."""
    env = {**os.environ, "CLASSROOM_LANG": "en"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="memory,redis,rabbitmq")
    args = parser.parse_args()
    cases = []
    for mode in args.modes.split(","):
        cases.append((f"runner lesson 1 --broker {mode}", [sys.executable, "runner.py", "lesson", "1", "--broker", mode]))
    cases.append(("baseline start_worker (memory)", [sys.executable, "bench/baseline_start_worker.py", "memory"]))
    if "redis" in args.modes:
        cases.append(("baseline start_worker (redis, solo)",
                      [sys.executable, "bench/baseline_start_worker.py", "redis://127.0.0.1:6379/15"]))
    results = {}
    print(f"{'case':42} {'median s':>9} {'min':>6} {'max':>6} {'peak MiB':>9} ok")
    for name, cmd in cases:
        runs = [timed(cmd) for _ in range(args.runs)]
        walls = [r[0] for r in runs]
        ok = all(r[2] == 0 for r in runs)
        results[name] = {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
                         "peak_mib": max(r[1] for r in runs), "ok": ok, "runs": args.runs}
        r = results[name]
        print(f"{name:42} {r['median_s']:9.2f} {r['min_s']:6.2f} {r['max_s']:6.2f} {r['peak_mib']:9.0f} {'✓' if ok else '✗'}")
    # The engine's goals (issue "Engine v2"): memory <= 0.25x the naive memory script; Redis <= 1.1x the
    # naive in-process Redis script, although the runner starts a real prefork worker process.
    pairs = [("runner lesson 1 --broker memory", "baseline start_worker (memory)"),
             ("runner lesson 1 --broker redis", "baseline start_worker (redis, solo)")]
    for ours, naive in pairs:
        if ours in results and naive in results:
            ratio = results[ours]["median_s"] / results[naive]["median_s"]
            results[f"{ours} / {naive}"] = {"ratio": ratio}
            print(f"{ours} / {naive}: {ratio:.2f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "lesson1.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
