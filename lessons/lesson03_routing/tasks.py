"""Lesson 3: routing tasks to queues, and workers that consume only some queues.

Usage::

    # terminal 1, from the repository root: the worker for quick tasks
    celery -A lessons.lesson03_routing.tasks worker -Q fast_queue -n fast@%h -c 2 -l info

    # terminal 2: the worker for slow tasks
    celery -A lessons.lesson03_routing.tasks worker -Q slow_queue -n slow@%h -c 1 -l info

    # terminal 3: send one of each and see who answers (at most 10 s each)
    python -c "from lessons.lesson03_routing.tasks import make_thumbnail, report_daily; \
print(make_thumbnail.delay(1).get(timeout=10), report_daily.delay('mon').get(timeout=10))"
"""
import time

from celery import Celery
from kombu import Exchange, Queue

app = Celery("lesson03")
app.config_from_object("classroom.celeryconfig")

# The queues, declared explicitly: one direct exchange delivers each message to the queue whose
# routing key matches. (Without this, Celery creates a queue with an exchange of the same name.)
tasks_exchange = Exchange("tasks", type="direct")
app.conf.task_queues = (
    Queue("fast_queue", tasks_exchange, routing_key="fast_queue"),
    Queue("slow_queue", tasks_exchange, routing_key="slow_queue"),
)

# Which task goes where: by exact name, or by a glob pattern on the full name. An exact name is
# looked up first, then the globs in order; a task that matches nothing goes to
# task_default_queue ("celery").
app.conf.task_routes = {
    "lessons.lesson03_routing.tasks.make_thumbnail": {"queue": "fast_queue"},
    "*.report_*": {"queue": "slow_queue"},
}


@app.task
def make_thumbnail(image_id, seconds=0.1):
    """Quick work: routed to fast_queue by its name."""
    time.sleep(seconds)
    return f"thumbnail {image_id}"


@app.task
def report_daily(day, seconds=0.4):
    """Slow work: routed to slow_queue because its name matches *.report_*."""
    time.sleep(seconds)
    return f"daily report {day}"


@app.task
def report_monthly(month, seconds=0.4):
    """Also matches *.report_*: the glob routes a whole family of tasks."""
    time.sleep(seconds)
    return f"monthly report {month}"


@app.task(bind=True)
def where_am_i(self):
    """Not routed: goes wherever apply_async(queue=...) sends it. Returns the routing key it came with."""
    return self.request.delivery_info.get("routing_key")
