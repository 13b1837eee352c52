"""What lesson 8's report must show on real workers: what inspect saw, consumers moved, the pool
resized, revoked tasks that never ran, a dashboard fed by events alone, Flower behind a password,
and a warm versus a cold shutdown.

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""
from classroom.player.report import step

# Steps that need other processes to reach the broker (the CLI, Flower), a prefork pool process to
# stop, or a worker process of its own to shut down.
SKIPPED = {"memory": {"inspect_cli", "revoke_running", "flower_api", "flower_control", "shutdown"}}


def check(report: dict, mode: str) -> None:
    seen = step(report, "inspect_cluster")["data"]
    assert seen["nobody"] is None and len(seen["pong"]) == 2
    assert seen["running"] == 2 and seen["later"] in seen["scheduled_ids"]
    assert any(name.endswith(".runaway") for name in seen["registered"])
    assert all(pool["max-concurrency"] == 1 for pool in seen["pools"].values())
    moved = step(report, "consumers")["data"]
    assert moved["waiting"] == ["PENDING"] * 5 and len(moved["ran_on"]) == 1 and moved["ran_on"][0].startswith("worker2@")
    assert "reports" in moved["during"] and "reports" not in moved["after"]
    live = step(report, "live_changes")["data"]
    assert live["limited"].endswith("[rate_limit=2/s]")
    if mode != "memory":
        assert live["processes"] == [1, 2, 1] and live["grow_s"] < 6.0 and live["shrink_s"] < 1.0
    queued = step(report, "revoke_queued")["data"]
    assert queued["right_after"] == "PENDING" and queued["final"] == "REVOKED" and not queued["started"]
    assert queued["logged"] and len(queued["held_by"]) == 2
    dash = step(report, "events_dashboard")["data"]
    assert dash["states"].get("SUCCESS") == 64 and dash["lag_max_s"] < 1.0
    assert sum(w["processed"] for w in dash["workers"].values()) == 64
    steer = step(report, "who_can_steer")["data"]
    assert steer["accepted"] == ["json"]
    if mode == "memory":
        return
    cli = step(report, "inspect_cli")["data"]
    assert cli["code"] == 0 and cli["found"] and cli["missing_code"] == 69 and cli["missing_says"]
    running = step(report, "revoke_running")["data"]
    assert running["final"] == "REVOKED" and running["done"] < 100 and running["logged"]
    flower = step(report, "flower_api")["data"]
    assert flower["url"].startswith("http://127.0.0.1:") and flower["anonymous"] == 401
    assert flower["info_state"] == "SUCCESS" and len(flower["workers"]) == 2
    control = step(report, "flower_control")["data"]
    assert control["revoked"] == 200 and control["final"] == "REVOKED"
    assert control["limited"] == 200 and control["listed"].endswith("[rate_limit=3/s]")
    assert steer["listening"] and all(addr.startswith("127.0.0.1:") for addr in steer["listening"])
    stop = step(report, "shutdown")["data"]
    assert stop["warm"] == 0.8 and stop["stopped"] and stop["served"] == [1, 2, 3] and stop["hosts"] == [stop["other"]]
    assert stop["cold_gone"] and stop["cold_exit_s"] < 2.5 and stop["dropped_state"] == "RETRY"
    assert stop["left"] == 0
