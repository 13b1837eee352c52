"""Lesson 9 beyond its expect.py: a per-worker prefetch multiplier reaches the worker's command line,
and a RabbitMQ run that kills workers leaves no message in its queues (one left in "celery" would be
run by the next lesson's worker), no run-log file and no process behind, the server's consumer_timeout as
it was; a queue left with other arguments is named with the fix (an in-process session that starts only the
worker declaring it)."""
import subprocess
import uuid

import pytest

from classroom import catalog
from classroom.lessonkit.server import rabbitmqctl_eval
from classroom.runtime.workers import WorkerSpec, celery_command

from .helpers import STATE_DIR, play_all, processes_matching


def test_a_worker_spec_can_set_its_own_prefetch_multiplier():
    spec = WorkerSpec("eager", queues=("hoard4",), concurrency=1, prefetch_multiplier=4)
    cmd = celery_command("lessons.lesson09_acks_redelivery.tasks", spec)
    assert cmd[cmd.index("--prefetch-multiplier") + 1] == "4"
    assert "--prefetch-multiplier" not in celery_command("m", WorkerSpec())
    eager = next(w for w in catalog.get(9).workers if w.name == "eager")
    assert eager.prefetch_multiplier == 4 and eager.concurrency == 1


def server_timeout() -> str | None:
    """The local RabbitMQ's consumer_timeout, None where rabbitmqctl is absent or does not answer."""
    try:
        return rabbitmqctl_eval("application:get_env(rabbit, consumer_timeout).")
    except Exception:
        return None


@pytest.mark.broker
@pytest.mark.timeout(1200)  # it may be the one that plays `all` on RabbitMQ for the session
@pytest.mark.xdist_group("play-rabbitmq")    # one lesson-9 play at a time may change the server's settings
def test_a_rabbitmq_run_with_kills_leaves_no_message_file_or_process(amqp_url, tmp_path_factory):
    """Lesson 9 as the RabbitMQ `all` play of this session played it (the same xdist group: played once, not
    twice), in its own vhost: no process or run file left, its vhost gone, and the server's consumer_timeout
    not left at the 2 s that step 7 sets while it runs."""
    proc, everything = play_all("rabbitmq", tmp_path_factory)
    row = next(r for r in everything["lessons"] if r["lesson"] == 9)
    report = row["report"]
    assert row["exit_code"] == 0 and report is not None, proc.stdout[-3000:]
    run_id = report["workers"][0].split("@", 1)[1]
    assert not processes_matching(run_id)
    assert not (STATE_DIR / "runs" / run_id).exists()                  # the run logs (run.file) are gone
    vhosts = subprocess.run(["rabbitmqctl", "-q", "list_vhosts"], capture_output=True, text=True, timeout=30)
    assert vhosts.returncode != 0 or run_id not in vhosts.stdout, vhosts.stdout   # its vhost went with it
    assert server_timeout() != "{ok,2000}"                 # the consumer_timeout step restored it


@pytest.mark.broker
@pytest.mark.timeout(60)
@pytest.mark.xdist_group("amqp-shared-vhost")
def test_a_queue_left_with_other_arguments_is_named_with_the_fix(amqp_url, redis_url, monkeypatch):
    """An old durable 'standby' queue (an earlier version of the lesson declared it so): RabbitMQ
    refuses the lesson's auto_delete one when the worker that consumes it starts. The runner names the
    queue and the command that fixes it. Only that worker is started (in-process session), no step played."""
    from kombu import Connection, Queue

    from classroom.envvars import BACKEND_ENV
    from classroom.errors import ClassroomError
    from classroom.runtime.session import Session
    monkeypatch.setenv(BACKEND_ENV, redis_url)              # this test's Redis database, not the default one
    monkeypatch.setenv("CLASSROOM_RABBITMQ_VHOSTS", "off")   # the shared vhost, where the queue was left
    lesson9, run_id = catalog.get(9), f"lesson9-{uuid.uuid4().hex[:6]}"
    standby = next(w for w in lesson9.workers if w.name == "standby")
    with Connection(amqp_url, connect_timeout=2) as conn:
        Queue("standby", durable=True, auto_delete=False)(conn.default_channel).declare()
    try:
        with pytest.raises(ClassroomError) as raised:
            with Session(lesson9, "auto", amqp_url, worker_specs=[standby], run_id=run_id):
                pass
        said = " ".join(raised.value.message("en").split())
        assert raised.value.key == "worker.queue_mismatch" and raised.value.exit_code != 0
        assert "RabbitMQ refused the queue 'standby'" in said and "rabbitmqctl delete_queue standby" in said, said
        assert not processes_matching(run_id)                # the refused worker is gone
    finally:
        with Connection(amqp_url, connect_timeout=2) as conn:
            conn.default_channel.queue_delete("standby")
