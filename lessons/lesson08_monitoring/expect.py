"""What lesson 8's report must show beyond its own checks: facts from two sources that must agree.

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike. Every claim of the
lesson is a run.expect in scenario.py (a false one fails the step and the run).
"""
from classroom.lessonkit import report_step as step

# Steps that need other processes to reach the broker (the CLI, Flower), a prefork pool process to
# stop, or a worker process of its own to shut down.
SKIPPED = {"memory": {"inspect_cli", "revoke_running", "flower_api", "flower_control", "shutdown"}}


def check(report: dict, mode: str) -> None:
    workers = report["workers"]
    # The events' view of step 1's 6 tasks: 3 received by each worker (inspect said 1 active + 2 reserved)
    received: dict = {}
    for task in step(report, "inspect_cluster")["tasks"].values():
        received[task["hostname"]] = received.get(task["hostname"], 0) + 1
    assert sorted(received.values()) == [3, 3] and set(received) <= set(workers), received
    revoked = step(report, "revoke_queued")["observations"][0]
    assert revoked["state"] == "REVOKED" and revoked["worker"] in workers
    # The backend's state of the revoked task and the events (it never started)
    task = step(report, "revoke_queued")["tasks"].get(revoked["task_id"], {})
    assert not task.get("started"), task
