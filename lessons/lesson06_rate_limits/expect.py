"""What lesson 6's report must show on a real worker (measured start spacing against the limit, a runtime change, two workers = twice the rate).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""


from classroom.lessonkit import report_step as step
from classroom.lessonkit import short


def check(report: dict, mode: str) -> None:
    burst = step(report, "burst")["data"]
    limited, unlimited = burst["limited"], burst["unlimited"]
    assert limited["count"] == unlimited["count"] == 10
    assert limited["mean_gap_s"] >= 0.18                               # 5/s: a token every 0.2 s
    assert 1.6 <= limited["span_s"] < 2.6                              # 9 gaps of 0.2 s
    assert unlimited["span_s"] < limited["span_s"] / 2
    annotated = step(report, "annotations")["data"]
    assert annotated["rate_limit"] == "4/s"
    assert annotated["annotated"]["mean_gap_s"] >= 0.23 and annotated["annotated"]["span_s"] >= 0.9
    changed = step(report, "change_at_run_time")["data"]
    assert len(changed["replies"]) == 2                                # both workers acknowledged
    assert 0.7 <= changed["changed"]["span_s"] < 1.4                   # 10/s now
    shared = step(report, "per_worker")["data"]["shared"]
    assert sorted(shared["per_worker"]) == sorted(short(w) for w in report["workers"])   # both took part
    assert all(gap >= 0.18 for gap in shared["worker_mean_gap_s"].values())   # each worker still keeps 5/s
    assert shared["span_s"] < 0.75 * limited["span_s"]                 # together about twice as fast
