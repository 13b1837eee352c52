"""Fixtures: real brokers for the tests marked `broker` (CI starts them; locally they are skipped when absent)."""
import os

import pytest

from classroom import brokers

from .helpers import AMQP_URL, REDIS_URL

IN_CI = bool(os.environ.get("CI"))


def _need(ok: bool, what: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(f"{what} is not answering; .ci/run should have started it")
        pytest.skip(f"{what} is not answering")


@pytest.fixture
def redis_url() -> str:
    _need(brokers.redis_answers(REDIS_URL, 1.0), REDIS_URL)
    return REDIS_URL


@pytest.fixture
def amqp_url() -> str:
    _need(brokers.amqp_answers(AMQP_URL, 1.0), AMQP_URL)
    return AMQP_URL
