"""What lesson 2's report must show on a real worker (progress meta, states, the ignore_result pitfall, result_expires).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""


from classroom.lessonkit import report_step as step


def check(report: dict, mode: str) -> None:
    workers = report["workers"]
    progress = step(report, "progress_bar")
    states, currents = progress["data"]["states"], progress["data"]["currents"]
    order = ["PENDING", "STARTED", "PROGRESS", "SUCCESS"]        # PENDING may end before the first poll
    assert [order.index(s) for s in states] == sorted(order.index(s) for s in states)
    assert states[0] in ("PENDING", "STARTED") and "STARTED" in states and states[-1] == "SUCCESS"
    assert len(currents) >= 5 and currents == sorted(set(currents)) and currents[-1] <= 10
    assert progress["data"]["result"] == {"current": 10, "total": 10, "status": "done"}
    task = next(iter(progress["tasks"].values()))
    assert task["hostname"] in workers
    assert task["ended"] - task["started"] >= 0.9          # ten real 0.1 s steps on the worker

    assert step(report, "built_in_states")["data"]["states"] == ["PENDING", "SUCCESS"]   # no STARTED
    custom = step(report, "custom_state")["data"]
    assert custom["resizing"][0] == [{"image": "cat.jpg", "width": 1024}, False]

    pitfall = step(report, "ignore_result_pitfall")["data"]
    assert pitfall["ignored"] is True and pitfall["got"] is None
    assert pitfall["state"] == "PENDING" and pitfall["worker"] in workers   # it ran, nothing was stored
    assert pitfall["diagnosis"] == "wait.result_not_stored"

    assert "No result backend" in step(report, "no_backend")["data"]["error"]

    expires = step(report, "result_expires")["data"]
    if mode == "memory":
        assert (expires["ttl"], expires["before"], expires["after"]) == (None, "SUCCESS", "PENDING")
        assert report["seconds"] < 10
    elif mode == "redis":
        assert 0 < expires["ttl"] <= expires["expires"] == 3600      # a real TTL on the Redis key
        assert expires["after"] == "PENDING"
