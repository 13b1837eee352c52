"""Exercise 2 (lesson 2): a long task that reports its progress with update_state.

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
        # TODO 2: report how far it got: a custom state "PROGRESS" whose meta is
        #         {"current": current, "total": total} (self.update_state).
        #         报告进度：自定义状态 "PROGRESS"，meta 为 {"current": current, "total": total}（self.update_state）。
    # TODO 3: return {"current": total, "total": total, "status": "done"} as the result.
    #         把 {"current": total, "total": total, "status": "done"} 作为结果返回。
    return None
