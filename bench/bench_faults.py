"""Time from fault to message/exit for each fault scenario, plus a process-table check after each.

    python bench/bench_faults.py [--runs 3] [--redis-url redis://127.0.0.1:6379/15]

Uses the fault drills in tests/fault_lesson (lesson 90). Prints a table; also bench/results/faults.json.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.helpers import PY, env, processes_matching  # noqa: E402

DRILLS = {"CLASSROOM_EXTRA_LESSONS": "tests"}


def run(args: list[str], **extra: str) -> tuple[float, int, str]:
    started = time.monotonic()
    proc = subprocess.run([PY, "runner.py", *args], cwd=ROOT, env=env(**extra), capture_output=True, text=True,
                          timeout=120)
    return time.monotonic() - started, proc.returncode, proc.stdout + proc.stderr


def drill(step: str, mode_args: list[str]) -> tuple[float, int, str]:
    """Seconds the drill step itself took (from the JSON report), exit code, output."""
    report = ROOT / ".classroom" / f"bench-{step}.json"
    _, code, out = run(["lesson", "90", *mode_args, "--report", str(report)], **DRILLS, FAULT_STEPS=step)
    data = json.loads(report.read_text())
    return data["steps"][0]["seconds"], code, out


def killed_mid_lesson(target: str, mode_args: list[str], **extra: str) -> tuple[float, int, str]:
    proc = subprocess.Popen([PY, "runner.py", "lesson", "90", *mode_args], cwd=ROOT,
                            env=env(**DRILLS, FAULT_STEPS="long_wait", **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    seen = ""
    while "Workers ready" not in seen:
        seen += proc.stdout.readline()
    run_id = re.search(r"@(lesson90-[0-9a-f]+)", seen).group(1)
    time.sleep(0.8)
    if target == "broker":
        port = re.search(r"127.0.0.1:(\d+)/0", seen).group(1)
        pids = [p.split(":")[0] for p in processes_matching(f"redis-server 127.0.0.1:{port}")]
    else:
        pids = sorted(int(p.split(":")[0]) for p in processes_matching(f"-n worker1@{run_id}"))
        pids = [str(pids[0])] if target == "worker" else [str(p) for p in pids[1:]]
    killed = time.monotonic()
    subprocess.run(["kill", "-9", *pids])
    out, _ = proc.communicate(timeout=60)
    return time.monotonic() - killed, proc.returncode, seen + out + f"\nRUN_ID={run_id}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    opts = parser.parse_args()
    redis = ["--broker-url", opts.redis_url]
    memory = ["--broker", "memory"]
    scenarios = {
        "1 broker not running (redis URL)": lambda: run(["lesson", "1", "--broker-url", "redis://127.0.0.1:1/0"]),
        "1 broker not running (amqp URL)": lambda: run(["lesson", "1", "--broker-url", "amqp://guest:guest@127.0.0.1:1//"]),
        "2 broker killed mid-lesson": lambda: killed_mid_lesson("broker", ["--broker", "redis"],
                                                                CLASSROOM_REDIS_DEFAULT="redis://127.0.0.1:1/0"),
        "3 queue nobody consumes (memory)": lambda: drill("wrong_queue", memory),
        "3 queue nobody consumes (redis)": lambda: drill("wrong_queue", redis),
        "4 worker child killed (redis)": lambda: killed_mid_lesson("child", redis),
        "4 worker main killed -9 (redis)": lambda: killed_mid_lesson("worker", redis),
        "5 unregistered task (redis)": lambda: drill("unregistered", redis),
        "6 task raises, worker serves on (redis)": lambda: drill("raises_then_serves", redis),
        "7 non-JSON argument (redis)": lambda: drill("not_json", redis),
        "8 ignore_result (redis)": lambda: drill("ignored", redis),
        "8 unknown id (redis)": lambda: drill("unknown_id", redis),
        "9 unknown lesson 99": lambda: run(["lesson", "99"]),
        "9 malformed --broker-url": lambda: run(["lesson", "1", "--broker-url", "localhost:6379"]),
        "12 time limit on threads pool (memory)": lambda: drill("time_limit", memory),
        "14 unwritable state dir (memory)": lambda: run(["lesson", "1", "--broker", "memory"],
                                                       CLASSROOM_STATE_DIR="/dev/null/x"),
    }
    results = {}
    print(f"{'scenario':42} {'median s':>9} {'exit':>5} {'left running':>13}")
    for name, fn in scenarios.items():
        times, codes, leftovers = [], set(), 0
        for _ in range(opts.runs):
            took, code, out = fn()
            times.append(took)
            codes.add(code)
            run_ids = set(re.findall(r"@(lesson\d+-[0-9a-f]+)", out))
            time.sleep(0.3)
            leftovers += sum(len(processes_matching(r)) for r in run_ids)
        results[name] = {"median_s": statistics.median(times), "exit": sorted(codes), "left_running": leftovers}
        print(f"{name:42} {statistics.median(times):9.2f} {','.join(map(str, sorted(codes))):>5} {leftovers:>13}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "faults.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
