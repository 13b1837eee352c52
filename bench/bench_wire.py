"""Lesson 12's benchmark tiers at larger sizes, on real workers, as a table of msgs/s and the ratio
of each tier to raw kombu.

    python bench/bench_wire.py [--broker-url redis://127.0.0.1:6379/15] [--scale 4] [--rounds 3]
    CLASSROOM_RESULT_BACKEND=redis://127.0.0.1:6379/15 \
        python bench/bench_wire.py --broker-url amqp://guest:guest@127.0.0.1:5672//

Starts the lesson's two workers (worker1: the course's defaults; tuned: prefetch ×64) through the
runner's Session, so nothing is left behind. Also writes bench/results/wire-<mode>.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from classroom import catalog  # noqa: E402
from classroom.runtime import bounds  # noqa: E402
from classroom.runtime.session import Session  # noqa: E402
from lessons.lesson12_under_the_hood import measure, tasks  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--scale", type=int, default=4, help="sizes × this (the lesson uses 1)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    k = args.scale
    lesson = next(entry for entry in catalog.lessons() if entry.number == 12)
    with Session(lesson, "auto", args.broker_url) as session:
        app, tuned = session.app, session.hostnames[1]
        tiers = {
            "raw broker": lambda: measure.raw_broker(app, 1000 * k),
            "kombu": lambda: measure.kombu_roundtrip(app, 300 * k),
            "celery, no result": lambda: measure.celery_no_result(app, tasks.noop, tasks.mark, 150 * k),
            "celery + get() each": lambda: measure.celery_get_each(app, tasks.noop_result, 40 * k),
            "prefetch x64": lambda: measure.celery_no_result(app, tasks.noop, tasks.mark, 150 * k, queue="fast"),
            "tuned": lambda: measure.celery_tuned(app, tuned, tasks.noop, tasks.mark, 150 * k, queue="fast"),
            "chunks(100), calls": lambda: measure.celery_chunks(app, tasks.noop, 1500 * k, 100, queue="fast"),
        }
        best = measure.best_of(tiers, rounds=args.rounds)
        app.control.pool_grow(2, destination=[tuned], reply=True, timeout=bounds.INSPECT_S)
        best["tuned, concurrency 4"] = measure.best_of({"c4": tiers["tuned"]}, rounds=args.rounds)["c4"]
        app.control.pool_shrink(2, destination=[tuned], reply=True, timeout=bounds.INSPECT_S)
        mode = session.broker.mode
    kombu = best["kombu"]["rate"]
    print(f"{mode}: best of {args.rounds} rounds, sizes x{k}")
    print(f"{'tier':<22} {'rate/s':>9} {'/ kombu':>8}  rounds")
    for name, tier in best.items():
        print(f"{name:<22} {tier['rate']:>9.0f} {tier['rate'] / kombu:>8.2f}  "
              + " ".join(f"{r:.0f}" for r in tier["rates"]))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"wire-{mode}.json").write_text(json.dumps(best, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
