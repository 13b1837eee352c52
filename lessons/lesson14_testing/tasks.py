"""Lesson 14: testing Celery code. The code under test and its tests are in sample_tests/.

Usage::

    # from the repository root: the sample tests on memory:// (no broker needed)
    cd lessons/lesson14_testing/sample_tests
    python -m pytest -v                                      # real worker
    CELERY_TASK_ALWAYS_EAGER=1 python -m pytest -v           # eager mode

    # the same tests on your Redis
    TEST_BROKER_URL=redis://127.0.0.1:6379/0 TEST_RESULT_BACKEND=redis://127.0.0.1:6379/0 \\
        python -m pytest -v
"""
from celery import Celery

app = Celery("lesson14")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y
