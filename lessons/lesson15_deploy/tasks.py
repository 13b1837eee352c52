"""Lesson 15: deploy and shut down: a worker in a container, stopped as an orchestrator stops it.

Usage::

    # build the worker image and run three workers on one queue (Redis from docker-compose.yml)
    docker compose --profile workers up --build --scale worker=3      # or: docker-compose ...

    # or one worker by hand, then stop it as Docker does: SIGTERM, SIGKILL after the grace period
    celery -A lessons.lesson15_deploy.tasks worker -l info -Q deploy -c 1 -n deploy1@%h
    python -c "from lessons.lesson15_deploy.tasks import job; job.apply_async((8,), queue='deploy')"
    kill -TERM <worker pid>       # warm shutdown: the running task finishes first

    # soft shutdown (Celery 5.5+): SIGTERM as a cold shutdown that first waits 5 s for running tasks
    REMAP_SIGTERM=SIGQUIT celery -A lessons.lesson15_deploy.tasks worker -Q deploy -c 1 \\
        -n deploy1@%h  # with worker_soft_shutdown_timeout = 5 in the configuration
"""
import time

from celery import Celery

app = Celery("lesson15")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def job(self, seconds):
    """Acked when it starts (the default): a worker killed while it runs loses it."""
    time.sleep(seconds)
    return self.request.hostname  # the worker that ran it


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True)
def job_late(self, seconds):
    """Acked when it ends: a worker killed while it runs leaves the message to the broker, which
    delivers it again (RabbitMQ: when the connection closes; Redis: after the visibility timeout)."""
    time.sleep(seconds)
    return self.request.hostname
