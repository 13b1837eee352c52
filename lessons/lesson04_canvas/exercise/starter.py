"""Exercise 4 (lesson 4): group, chain and chord: workflows built from signatures.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 4
"""
from celery import Celery, chain, chord, group  # noqa: F401 - you will need them

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
    # TODO 2: build a group of mul signatures (mul.s(i, i)) and apply it: group(...).apply_async()
    #         用 mul 的签名（mul.s(i, i)）组成一个 group 并发送：group(...).apply_async()
    return None


def plus_one_times_ten(x):
    """(x + 1) * 10 as a chain: add(x, 1), whose result goes on to mul(result, 10)."""
    # TODO 3: chain add.s(x, 1) and mul.s(10) (with | or chain()) and apply it; return its AsyncResult.
    #         用 | 或 chain() 把 add.s(x, 1) 和 mul.s(10) 串起来并发送；返回它的 AsyncResult。
    return add.delay(x, 1)


def sum_of_squares(n):
    """A chord: the n squares in parallel, then total() of all of them once they are done."""
    # TODO 4: chord(header)(body): the header is the group of mul.s(i, i), the body total.s()
    #         chord(header)(body)：header 是 mul.s(i, i) 组成的 group，body 是 total.s()
    return None
