"""Exercise 8 (classroom a), reference solution: a Celery app with three tasks of its own.

Usage::

    python runner.py check 8 --solutions
"""
from celery import Celery

app = Celery("ex08")
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
