"""Exercise 11 (lesson 11): the right pool for the job, and a pool that recycles its processes.

Usage::

    # check it on real workers (from the repository root)
    python runner.py check 11

Stretch (optional, no TODO): route `resize_image` to the queue "cpu" as well, in the same setting.
附加挑战（可选，没有 TODO）：在同一个设置里，把 `resize_image` 也路由到队列 "cpu"。
"""
import os
import time

from celery import Celery

app = Celery("ex11")
app.config_from_object("classroom.celeryconfig")

# The checker runs two workers: "io" (threads pool, 8 threads, queue "io") and "cpu" (prefork,
# 2 processes, queue "cpu"). Nothing goes to the default queue "celery": nobody consumes it.

# TODO 2: fetch_page waits on the network and must run on the "io" worker; crunch computes and
#         must run on the "cpu" worker. Send each task to its queue by name in the configuration,
#         not at each call (see lesson 11, step 5).
#         fetch_page 在等网络，必须由 "io" worker 执行；crunch 在计算，必须由 "cpu" worker 执行。
#         在配置里按任务名把它们各自发到自己的队列，而不是每次调用时指定（见第 11 课第 5 步）。


@app.task
def fetch_page(url):
    """Waits 0.2 s, as a slow web page would; returns the pid that ran it."""
    time.sleep(0.2)
    return os.getpid()


@app.task
def crunch(n):
    """Pure-Python arithmetic: needs a core the whole time."""
    return sum(i * i % 7 for i in range(n))


@app.task
def resize_image(size):
    """Stretch: computes too."""
    return sum(i % 3 for i in range(size))


# TODO 3: a question: eight fetch_page tasks are sent at once to the "io" worker (threads, 8 threads).
#         About how many seconds pass from the first start to the last end? Write the number
#         (see lesson 11, step 5).
#         问题：一次向 "io" worker（threads，8 个线程）发送八个 fetch_page 任务。
#         从第一个开始到最后一个结束，大约要几秒？写出这个数（见第 11 课第 5 步）。
EIGHT_PAGES_S = None
