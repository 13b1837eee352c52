"""Exercise 4 (lesson 4), reference solution: group, chain and chord.

Usage::

    python runner.py check 4 --solutions

Stretch: batches(n), a group of chains.
"""
from celery import Celery, chain, chord, group

app = Celery("ex04")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


@app.task
def mul(x, y):
    return x * y


@app.task
def total(numbers):
    return sum(numbers)


def squares(n):
    """mul(i, i) for i in 0..n-1, all at once (in parallel): return the GroupResult."""
    return group(mul.s(i, i) for i in range(n)).apply_async()


def plus_one_times_ten(x):
    """(x + 1) * 10 as a chain: add(x, 1), whose result goes on to mul(result, 10)."""
    return chain(add.s(x, 1), mul.s(10)).apply_async()


def sum_of_squares(n):
    """A chord: the n squares in parallel, then total() of all of them once they are done."""
    return chord(mul.s(i, i) for i in range(n))(total.s())


# .si makes mul(2, 3) immutable: it does not receive add's 5, so the chain gives 2 * 3.
IMMUTABLE_CHAIN = 6


def batches(n):
    """Stretch: n chains add(i, i) | mul(10) in parallel, as one group."""
    return group(add.s(i, i) | mul.s(10) for i in range(n)).apply_async()
