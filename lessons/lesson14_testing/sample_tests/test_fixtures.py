"""celery_app + celery_worker: a fresh app and a real worker, in a thread of this process."""
import threading

import shop


def test_add_on_a_real_worker(celery_app, celery_worker):
    result = shop.add.delay(2, 3)                   # sent through the broker...
    assert result.get(timeout=5) == 5               # ...and run by the worker
    assert result.state == "SUCCESS"
    assert celery_app.conf.task_always_eager is False
    assert len(threading.enumerate()) > 1           # the worker is a thread beside the test
