"""Does lesson 8's dashboard keep up with a burst? 500 tasks on the lesson's two real workers.

    python bench/bench_dashboard.py [--tasks 500] [--runs 3] [--broker-url URL ...]

For each run: the largest and the 99th-percentile lag (an event's arrival in the dashboard's State
minus the moment the worker sent it), and "behind": how long after the last result was ready the
dashboard showed every task as SUCCESS. The issue's bar: behind by no more than 1 s.
Results also go to bench/results/dashboard.json.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_run(url: str, count: int) -> dict:
    from classroom import catalog
    from classroom.player import dashboard
    from classroom.runtime.session import Session
    from classroom.runtime.waits import get, wait_until
    lesson = catalog.get(8)
    with Session(lesson, "auto", url) as session:
        from lessons.lesson08_monitoring import tasks
        monitor = dashboard.Monitor(session.app, accept=lambda host: host in session.hostnames)
        assert monitor.start(), monitor.failed
        began = time.monotonic()
        results = [tasks.add.delay(i, i) for i in range(count)]
        for r in results:
            get(r, timeout=30)
        ready = time.monotonic()
        wait_until(lambda: monitor.snapshot()["states"].get("SUCCESS", 0) >= count, 10, 0.01)
        shown = time.monotonic()
        snap = monitor.snapshot()
        lags = sorted(monitor.lags)
        monitor.stop()
    return {"tasks": count, "burst_s": round(ready - began, 2), "behind_s": round(shown - ready, 3),
            "success_seen": snap["states"].get("SUCCESS", 0), "events": snap["events"],
            "lag_max_s": round(lags[-1], 3), "lag_p99_s": round(lags[int(len(lags) * 0.99) - 1], 3)}


def in_child(url: str, count: int) -> dict:
    """One run in a fresh process (a session per process, as the runner plays a lesson)."""
    import subprocess
    done = subprocess.run([sys.executable, __file__, "--one", url, "--tasks", str(count)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"run failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--broker-url", action="append",
                        default=None, help="default: redis://127.0.0.1:6379/7 and amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.tasks)))
        return
    urls = args.broker_url or ["redis://127.0.0.1:6379/7", "amqp://guest:guest@127.0.0.1:5672//"]
    out = {}
    for url in urls:
        runs = [in_child(url, args.tasks) for _ in range(args.runs)]
        out[url] = {"runs": runs, "behind_s_median": statistics.median(r["behind_s"] for r in runs),
                    "lag_max_s_worst": max(r["lag_max_s"] for r in runs)}
        print(f"{url}: behind median {out[url]['behind_s_median']} s, worst lag {out[url]['lag_max_s_worst']} s")
        for r in runs:
            print("   ", r)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "dashboard.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
