"""Lesson 11: scaling out: workers, pools and autoscale.

Usage::

    # terminals 1-3, from the repository root: three workers share the queue "scale-out"
    celery -A lessons.lesson11_scaling.tasks worker -l info -Q scale-out -c 1 -n worker1@%h
    celery -A lessons.lesson11_scaling.tasks worker -l info -Q scale-out -c 1 -n worker2@%h
    celery -A lessons.lesson11_scaling.tasks worker -l info -Q scale-out -c 1 -n worker3@%h

    # terminal 4: a burst of 30; each worker's log shows its share
    python -c "from lessons.lesson11_scaling.tasks import io_bound; [io_bound.apply_async((0.1,), queue='scale-out') for _ in range(30)]"

    # a pool that grows to 4 processes under load and shrinks back to 1 (idle for 1 s)
    AUTOSCALE_KEEPALIVE=1 celery -A lessons.lesson11_scaling.tasks worker -l info -Q autoscale --autoscale=4,1
"""
import os
import time

from celery import Celery

app = Celery("lesson11")
app.config_from_object("classroom.celeryconfig")

# How much pure-Python arithmetic cpu_bound does: about 0.1 s of one core here (a busy machine is slower).
CPU_LOOPS = 2_000_000


@app.task
def io_bound(seconds):
    """Waits, as a task waiting on a web API or a database does: the CPU is free meanwhile."""
    time.sleep(seconds)
    return os.getpid()


@app.task
def cpu_bound(loops=CPU_LOOPS):
    """Computes: needs a core the whole time. Returns the CPU time this thread used and the wall time."""
    wall, cpu = time.perf_counter(), time.thread_time()
    total = 0
    for i in range(loops):
        total += i * i % 7
    return {"cpu_s": time.thread_time() - cpu, "wall_s": time.perf_counter() - wall}


@app.task
def whoami():
    """The pid of the pool process that ran it."""
    return os.getpid()
