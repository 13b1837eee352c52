"""Exercise 15 (lesson 15): a health check and a task that survives a kill.

Stretch (optional, no TODO): write healthy_all(hostnames) that returns {hostname: True/False} for
several workers with ONE ping to all of them, in about 2 s however many there are.
附加挑战（可选，没有 TODO）：写一个 healthy_all(hostnames)，只用一次 ping 询问所有 worker，返回
{hostname: True/False}，无论有多少个 worker，都在大约 2 秒内完成。

Usage::

    # check it on real workers (from the repository root); the checker kills a pool process
    python runner.py check 15 --broker redis

    # or by hand: terminal 1, a worker for this file (Redis on 127.0.0.1:6379)
    celery -A exercises.ex15_deploy worker -l info -n worker1@%h
    # terminal 2: is it healthy?
    python -c "import socket; from exercises.ex15_deploy import healthy; print(healthy('worker1@' + socket.gethostname()))"
"""
import time

from celery import Celery

app = Celery("ex15")
app.config_from_object("classroom.celeryconfig")


def healthy(hostname):
    """The health check an orchestrator runs: True if the worker `hostname` answers, else False."""
    # TODO 2: a running process is not a working worker. Ask the worker itself over the broker, and
    #         return True only if it answered within 2 seconds (see lesson 15, step 6).
    #         进程在运行不等于 worker 在工作。通过消息代理直接询问 worker 本身，
    #         只有它在 2 秒内回应时才返回 True（见第 15 课第 6 步）。
    return True


# TODO 3: a deploy's grace period can run out and end in SIGKILL. The checker kills the pool process
#         running export_report: make the message survive it, so that the task runs again to SUCCESS
#         instead of ending in FAILURE with WorkerLostError (see lesson 15, step 3).
#         部署时宽限期可能耗尽，最后以 SIGKILL 收场。检查程序会杀掉正在运行 export_report 的池进程：
#         让消息挺过这一劫，使任务再运行一次并 SUCCESS，而不是以 WorkerLostError 的 FAILURE 结束（见第 15 课第 3 步）。
@app.task
def export_report(name, seconds=0.0):
    """Build the report `name` (here: wait `seconds`) and return where it was written."""
    time.sleep(seconds)
    return f"reports/{name}.pdf"


# TODO 4: a question: when a ping reaches no worker in time (the health check's False case), what
#         value does it return? Write that value (see lesson 15, step 6; try a made-up hostname).
#         一个问题：ping 没能按时得到任何 worker 的回应时（健康检查返回 False 的情况），它返回什么值？
#         写出这个值（见第 15 课第 6 步；用一个编造的主机名试试）。
NOBODY_ANSWERED = "?"
