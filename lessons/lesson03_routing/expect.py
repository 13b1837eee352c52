"""What lesson 3's report must show on a real worker (routes, which worker ran what, serial vs parallel, an unconsumed queue).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""


from classroom.lessonkit import EVENT_SLACK_S
from classroom.lessonkit import report_step as step


def check(report: dict, mode: str) -> None:
    fast, slow = report["workers"]
    assert fast.startswith("fast@") and slow.startswith("slow@")

    routes = step(report, "routes")["data"]
    assert routes["routes"] == {"make_thumbnail": "fast_queue", "report_daily": "slow_queue",
                                "report_monthly": "slow_queue", "where_am_i": "celery"}
    assert step(report, "active_queues")["data"]["consumed"] == {"fast": ["fast_queue"], "slow": ["slow_queue"]}

    two = step(report, "two_workers")
    runs = two["data"]["runs"]                    # (name, worker short name, start, end) from events
    assert {w for n, w, _, _ in runs if n == "make_thumbnail"} == {"fast"}
    assert {w for n, w, _, _ in runs if n.startswith("report_")} == {"slow"}
    reports = sorted((s, e) for n, _, s, e in runs if n.startswith("report_"))
    assert len(reports) == 3
    for (_, end), (start, _) in zip(reports, reports[1:]):      # one slow process: strictly one after another
        assert start >= end - EVENT_SLACK_S                      # event times trail by a few ms
    assert reports[-1][1] - reports[0][0] >= 1.1                 # 3 x 0.4 s in series
    assert two["data"]["thumb_overlaps"] >= 2                    # two fast processes at once

    per_call = step(report, "queue_per_call")["data"]
    assert per_call["slow"] == ["slow", "slow_queue"] and per_call["fast"] == ["fast", "fast_queue"]

    nobody = step(report, "nobody_consumes")["data"]
    assert (nobody["waiting"], nobody["consumers"], nobody["state"]) == (1, [], "PENDING")  # counted by the broker
    assert nobody["diagnosis"] == "wait.no_consumer" and nobody["purged"] == 1
    if mode == "memory":
        assert report["seconds"] < 10
