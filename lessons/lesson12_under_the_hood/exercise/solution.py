"""Exercise 12 (lesson 12), reference solution: ignore_result, msgpack accepted, the body on the wire.

Usage::

    python runner.py check 12 --solutions

Stretch: square_all with chunks, 1000 calls in 10 messages.
"""
from celery import Celery

app = Celery("ex12")
app.config_from_object("classroom.celeryconfig")
# msgpack as well as JSON; pickle still refused.
app.conf.accept_content = ["json", "msgpack"]


@app.task(ignore_result=True)
def notify(user):
    return f"sent to {user}"


@app.task(serializer="msgpack")
def pack(record):
    return sorted(record)


@app.task
def add(x, y):
    return x + y


@app.task
def square(n):
    return n * n


# protocol 2: [args, kwargs, embed]; args travel as a list in JSON.
BODY_OF_ADD = [[2, 3], {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]


def square_all(numbers):
    """Stretch: 1000 numbers in chunks of 100, i.e. 10 messages; each chunk returns its list of squares."""
    numbers = list(numbers)
    size = max(1, -(-len(numbers) // 10))
    group = square.chunks(((n,) for n in numbers), size).apply_async()
    return [value for result in group.results for value in result.get(timeout=5)]
