"""What lesson 15's report must show on real workers: nothing lost on a warm scale-down, the early-ack
task lost and the acks_late one back after SIGKILL, the pool killed by SIGTERM, the soft shutdown's
bounded wait, a health check that gives up within its bound, and a restart.

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode).
"""
from classroom.lessonkit import report_step as step

SKIPPED = {"memory": {"scale_down_mid_burst", "grace_too_short", "sigterm_to_the_pool", "soft_shutdown",
                      "health_check", "restart_policy"}}


def check(report: dict, mode: str) -> None:
    shared = step(report, "three_share")["data"]["by_worker"]
    assert sum(shared.values()) == 12 and len(shared) == 3, shared
    if mode == "memory":
        return
    down = step(report, "scale_down_mid_burst")["data"]
    assert down["codes"] == {"w2": 0, "w3": 0} and down["done"] == 12
    assert down["stopped_s"] < 10                           # a 0.5 s task, then the shutdown (2-4 s here)
    killed = step(report, "grace_too_short")["data"]
    assert (killed["early"], killed["late"]) == ("STARTED", "SUCCESS")
    if mode == "redis":                                     # held unacked until visibility_timeout (6 s)
        assert killed["unacked"] == 1 and killed["back_s"] >= 4, killed
    pool = step(report, "sigterm_to_the_pool")["data"]
    assert pool["state"] == "FAILURE" and "signal 15" in pool["error"]
    soft = step(report, "soft_shutdown")["data"]
    assert 2.0 <= soft["took"] < 6.0 and soft["short"] == "SUCCESS" and soft["long_at_exit"] != "SUCCESS"
    health = step(report, "health_check")["data"]
    assert health["frozen"] == {"w1": None} and 1.9 <= health["waited"] < 4.0
    restart = step(report, "restart_policy")["data"]
    assert restart["code"] == 0 and restart["back_s"] < 20
