"""Exercise 4 (lesson 4): group, chain and chord: workflows built from signatures.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 4

Stretch (optional, no TODO): write batches(n): a group of n chains, chain i being add(i, i) and then
mul by 10; return the GroupResult ([0, 20, 40, ...]).
附加挑战（可选，没有 TODO）：写 batches(n)：由 n 个 chain 组成的 group，第 i 个 chain 先算 add(i, i) 再乘以 10；返回 GroupResult。
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
    # TODO 2: send the n squares as one group of mul signatures, run in parallel, and return the
    #         GroupResult (see lesson 4, steps 1 and 2).
    #         把 n 个平方作为一个由 mul 签名组成的 group 并行发送，返回 GroupResult（见第 4 课第 1、2 步）。
    return None


def plus_one_times_ten(x):
    """(x + 1) * 10 as a chain: add(x, 1), whose result goes on to mul(result, 10)."""
    # TODO 3: a chain: add x and 1, then multiply that result by 10 in a second task; send it and
    #         return the chain's AsyncResult (see lesson 4, step 3).
    #         一个 chain：先算 x 加 1，再在第二个任务里把这个结果乘以 10；发送它并返回 chain 的 AsyncResult（见第 4 课第 3 步）。
    return add.delay(x, 1)


def sum_of_squares(n):
    """A chord: the n squares in parallel, then total() of all of them once they are done."""
    # TODO 4: a chord: the header is the n squares in parallel, the body is total, which receives
    #         the list of their results (see lesson 4, step 4).
    #         一个 chord：header 是并行的 n 个平方，body 是 total，它会收到这些结果组成的列表（见第 4 课第 4 步）。
    return None


# TODO 5: a question: an immutable signature ignores the result before it. What value does the chain
#         written on the line below give? Write the number (see lesson 4, steps 1 and 3).
#         问题：不可变签名会忽略前一个任务的结果。下一行注释里的 chain 得到的值是多少？写出这个数（见第 4 课第 1、3 步）。
IMMUTABLE_CHAIN = None  # the chain: add.s(4, 1) | mul.si(2, 3)
