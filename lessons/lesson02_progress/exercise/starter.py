"""Exercise 2 (lesson 2): a long task that reports its progress with update_state.

Stretch (optional, no TODO): write percent(task_id), a client function that turns what the result
backend holds into a number 0..100 (0 before the first report, 100 once it succeeded).
附加挑战（可选，没有 TODO）：写一个客户端函数 percent(task_id)，把结果后端里的内容换算成 0..100 的进度百分比。

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 2
"""
import time

from celery import Celery

app = Celery("ex02")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def count_to(self, total, pause=0.1):
    """Counts to `total`, one number every `pause` seconds."""
    for current in range(1, total + 1):
        time.sleep(pause)
        # TODO 2: after each number, tell the caller how far it got: a custom state named PROGRESS
        #         whose meta holds "current" and "total" (see lesson 2, steps 1 and 3).
        #         每数一个数，就告诉调用者进度：自定义状态 PROGRESS，meta 里有 "current" 和 "total"（见第 2 课第 1、3 步）。
    # TODO 3: when it is done, the result must be {"current": total, "total": total, "status": "done"}
    #         (see lesson 2, step 1).
    #         完成后，结果必须是 {"current": total, "total": total, "status": "done"}（见第 2 课第 1 步）。
    return None


@app.task(ignore_result=True)
def quiet():
    """Runs on the worker like any task, but asks it not to store a result."""
    return "done"


# TODO 4: a question: quiet has run and finished on the worker. What state does a client that looks
#         its id up then see? Write the state's name as a string (see lesson 2, step 4).
#         问题：quiet 已经在 worker 上运行完毕。此时客户端凭它的 id 查询，看到的是什么状态？
#         把状态名写成字符串（见第 2 课第 4 步）。
QUIET_STATE = None
