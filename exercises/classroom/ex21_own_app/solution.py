"""Exercise 21 (classroom a), reference solution: a Celery app with three tasks of its own.

Usage::

    python runner.py check 21 --solutions
"""
from celery import Celery

app = Celery("ex21")
app.config_from_object("classroom.celeryconfig")


@app.task
def greet(name):
    return f"Hello, {name}!"


@app.task
def word_count(text):
    return len(text.split())


@app.task
def temperatures(celsius):
    """A dict in, a dict out: JSON has no tuples, so a tuple would come back as a list."""
    return {"celsius": celsius, "fahrenheit": celsius * 9 / 5 + 32}


EXAMPLES = [
    (greet, ("Ada",), "Hello, Ada!"),
    (word_count, ("the quick brown fox",), 4),
    (temperatures, (100,), {"celsius": 100, "fahrenheit": 212.0}),
]

# JSON has no tuples: the worker's (1, 2) reaches the caller as a list.
TUPLE_COMES_BACK_AS = [1, 2]

# Stretch: inputs that make a task fail on purpose, and the exception the worker records.
FAILING_EXAMPLES = [
    (word_count, (42,), "AttributeError"),          # 42 has no .split()
    (temperatures, ("hot",), "TypeError"),          # "hot" * 9 is fine, but / 5 is not
]
