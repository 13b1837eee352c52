"""Exercise 22 (classroom b), reference solution: call tasks with different arguments, collect results.

Usage::

    python runner.py check 22 --solutions
"""
from celery import Celery, group

app = Celery("ex22")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


@app.task
def shout(text):
    return text.upper() + "!"


@app.task
def word_count(text):
    return len(text.split())


def send_all():
    """Send each of the three tasks at least twice, with different arguments; return the AsyncResults."""
    return [
        add.delay(2, 3), add.delay(10, -4),
        shout.delay("hello"), shout.delay("celery"),
        word_count.delay("one two three"), word_count.delay("a b"),
    ]


def collect(results):
    """The results' values, in the same order: wait for each one, at most 5 seconds."""
    return [result.get(timeout=5) for result in results]


# An id nobody knows looks exactly like a task not picked up yet.
UNKNOWN_ID_STATE = "PENDING"


def send_group():
    """Stretch: the same six calls as one group; the GroupResult, not waited for."""
    return group(add.s(2, 3), add.s(10, -4), shout.s("hello"), shout.s("celery"),
                 word_count.s("one two three"), word_count.s("a b")).apply_async()
