"""What lesson 1's report must show on a real worker (results, states and worker names).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""


from classroom.lessonkit import report_step as step


def check(report: dict, mode: str) -> None:
    workers = report["workers"]
    first = step(report, "delay_and_get")["observations"][0]
    assert (first["name"], first["state"], first["result"]) == ("add", "SUCCESS", 5)
    assert first["worker"] in workers                      # a real worker ran it, and we know which
    countdown = step(report, "countdown")
    task = next(iter(countdown["tasks"].values()))
    assert task["started"] - task["sent"] >= 0.25           # held for the countdown (0.3 s) by the worker
    failure = step(report, "failure")["observations"][0]
    assert failure["state"] == "FAILURE" and "ZeroDivisionError" in failure["result"]
    if mode != "memory":                                    # prefork: the task ran in a child process
        assert all(t["pid"] for s in report["steps"] for t in s["tasks"].values())
