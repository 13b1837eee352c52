"""Four tests that pass with task_always_eager=True and fail on a real worker.

    CELERY_TASK_ALWAYS_EAGER=1 pytest test_eager_lies.py   # 5 passed
    pytest test_eager_lies.py                              # 4 failed, 1 passed

The last one passes both ways: eager mode does serialize the arguments (not the result).
"""
import pytest
from celery import chord
from kombu.exceptions import EncodeError

import shop


def test_unique_tags_returns_a_set(worker):
    result = shop.unique_tags.delay(["sale", "new", "sale"])   # the result is a set: not JSON
    assert result.get(timeout=5) == {"sale", "new"}


@pytest.mark.celery(result_backend="rpc://")          # a fresh app with production's backend
def test_total_with_a_chord(celery_app, depends_on_current_app):
    result = chord(shop.price.s(i) for i in (1, 2, 3))(shop.total.s())
    assert result.get(timeout=5) == 60


def test_flaky_payment_is_retried(worker):
    result = shop.charge.delay(7)                             # retries once, countdown=2
    assert result.get(timeout=1) == "charged order 7"


def test_receipt_after_placing_an_order(worker):
    result = shop.place_order("lamp")                         # sends before it commits
    assert result.get(timeout=5) == "receipt for lamp"


def test_a_set_argument_is_refused(worker):
    with pytest.raises(EncodeError):                           # eager mode serializes arguments too
        shop.count_tags.delay({"sale", "new"})
