"""What lesson 11's report must show on real workers (shares per worker, a worker added and one stopped
mid-burst, autoscale growing and shrinking, pools measured, processes recycled, celery multi stopped).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""
from classroom.lessonkit import report_step as step

PROCESS_STEPS = {"warm_stop", "cold_stop", "autoscale", "pools", "max_tasks_per_child", "celery_multi"}
SKIPPED = {"memory": PROCESS_STEPS}      # they need worker processes (one per pool, celery multi, ...)


def check(report: dict, mode: str) -> None:
    shared = step(report, "shared_queue")["data"]
    assert shared["count"] == 12 and sorted(shared["per_worker"]) == ["worker1", "worker2", "worker3"]
    assert all(n >= 2 for n in shared["per_worker"].values())          # each took a fair share
    added = step(report, "add_a_worker")["data"]
    assert added["count"] == 150 and added["per_worker"].get("worker4", 0) >= 5
    assert added["rate_after"] > 1.15 * added["rate_before"]           # 4 workers drain faster than 3
    if mode == "memory":
        return
    warm = step(report, "warm_stop")["data"]
    assert warm["states"] == ["SUCCESS"] and sum(warm["per_worker"].values()) == 16 and not warm["alive"]
    assert warm["held"] >= 1 and "worker2" not in warm["rerun_by"]    # its reserved task ran elsewhere
    cold = step(report, "cold_stop")["data"]
    assert not cold["alive"] and cold["lost_state"] == "RETRY" and cold["others"] == ["SUCCESS"]
    assert cold["held"] >= 1 and "worker3" not in cold["rerun_by"]    # its reserved task came back
    auto = step(report, "autoscale")["data"]
    assert auto["idle"]["processes"] == 1 and max(auto["sizes"]) == 4 and auto["sizes"][-1] == 1
    assert auto["pids"] >= 2 and 0.9 <= auto["shrink_s"] < 10.0          # keepalive 1 s, then a check
    table = step(report, "pools")["data"]["table"]
    assert table["threads"]["io_at_once"] > 2 >= table["prefork"]["io_at_once"] and table["solo"]["io_at_once"] == 1
    if mode == "redis":                                                 # gevent waits side by side
        assert table["gevent"]["io_at_once"] > 2
    else:                                                               # py-amqp: one message per finished task
        assert table["gevent"]["io_at_once"] <= 2                       # measured 2 at most, span 0.85 s
    assert table["threads"]["cores_used"] <= 1.15                       # the GIL: one core at a time
    if step(report, "pools")["data"]["parallel_checked"]:                # two free cores: prefork computes in parallel
        assert table["prefork"]["cpu_s"] < table["threads"]["cpu_s"]
    recycled = step(report, "max_tasks_per_child")["data"]
    assert len(set(recycled["pids"])) == 2 and recycled["pids"][0] in recycled["before"]
    assert not set(recycled["before"]) & set(recycled["after"])
    multi = step(report, "celery_multi")["data"]
    assert sorted(multi["per_worker"]) == ["node1", "node2"] and not multi["left"] and not multi["pidfiles_left"]
