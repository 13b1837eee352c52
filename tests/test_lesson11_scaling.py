"""Engine claims behind lesson 11, on real processes: a warm stop lets a prefork pool process finish its
task (the SIGTERM goes to the worker's main process only), and `celery multi` nodes are gone after the
service stops, even when `stopwait` never ran (a second Ctrl+C kills them from their pid files)."""
import time

import pytest

from classroom import ROOT, catalog
from classroom.runtime import proctable
from classroom.runtime import reaper
from classroom.runtime.session import Session
from classroom.runtime.workers import WorkerSpec

from .helpers import processes_matching

FAULTS = catalog.load(ROOT / "tests" / "fault_lesson")
LESSON11 = catalog.get(11)


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_a_warm_stop_finishes_the_running_task(redis_url):
    with Session(FAULTS, "auto", redis_url, worker_specs=[WorkerSpec(name="warm", concurrency=1)]) as session:
        tasks = __import__(FAULTS.app_module, fromlist=["sleepy"])
        result = tasks.sleepy.delay(1)
        deadline = time.monotonic() + 10
        while result.state != "STARTED" and time.monotonic() < deadline:
            time.sleep(0.05)
        worker = session.workers[0]
        worker.expected_exit = True
        worker.stop()                                   # SIGTERM to the main process: warm shutdown
        assert result.get(timeout=5) == 1 and result.state == "SUCCESS"    # not WorkerLostError


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_multi_nodes_are_killed_from_their_pid_files(redis_url):
    from classroom.runtime.multi import MultiService
    from classroom.runtime.services import ServiceSpec
    with Session(LESSON11, "auto", redis_url, worker_specs=[]) as session:
        session.services.pop("multi").stop()                         # the lesson's own nodes
        multi = MultiService(session, ServiceSpec("m2", "multi", {"nodes": ["solo1"], "queues": ["m2"]}))
        multi.start()
        pids = list(multi.pids.values())
        assert all(proctable.pid_alive(pid) for pid in pids)
        reaper.kill_all()                              # a second Ctrl+C: on_kill_all reaches the detached node
        assert not any(proctable.pid_alive(pid) for pid in pids)
        run_id = session.run_id
    assert not processes_matching(run_id)
