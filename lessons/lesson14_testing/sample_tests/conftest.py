"""Shared fixtures for the sample tests (copy this folder into your own project).

The broker and backend come from the environment, so the same tests run on memory:// (the
default), on Redis or on RabbitMQ. Set CELERY_TASK_ALWAYS_EAGER=1 to run them the "eager" way.
"""
import os

import pytest

import shop

EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER") == "1"
# Not CELERY_BROKER_URL / CELERY_RESULT_BACKEND: Celery reads those two itself, and they beat every
# setting, even @pytest.mark.celery(result_backend=...) (celery/app/utils.py, Settings.broker_url).
BROKER = os.environ.get("TEST_BROKER_URL", "memory://")
BACKEND = os.environ.get("TEST_RESULT_BACKEND", "cache+memory://")
# A queue of their own: a development worker on the same broker never steals the tests' tasks.
QUEUE = os.environ.get("TEST_QUEUE", "tests")


@pytest.fixture(scope="session")
def celery_config():
    """What celery_app is configured with (celery.contrib.pytest reads this fixture)."""
    config = {
        "broker_url": BROKER,
        "result_backend": BACKEND,
        "task_default_queue": QUEUE,
        "broker_connection_timeout": 2,            # a broker that does not answer fails the test fast
        "broker_connection_retry_on_startup": False,
        "broker_transport_options": {"socket_timeout": 3, "socket_connect_timeout": 2,
                                     "polling_interval": 0.05, "max_retries": 1},
        "redis_socket_timeout": 3,
        "result_expires": 300,                     # a test run's results are not needed for long
    }
    if os.environ.get("TEST_KEYPREFIX"):    # Redis: keep parallel runs apart
        config["broker_transport_options"]["global_keyprefix"] = os.environ["TEST_KEYPREFIX"]
    if EAGER:
        # The usual "test mode". (With task_eager_propagates=True as well, self.retry() raises
        # celery.exceptions.Retry out of .delay() instead of retrying at once.)
        config["task_always_eager"] = True
    return config


@pytest.fixture
def worker(request, celery_session_app):
    """One real worker for the whole session (celery_session_worker: a thread in this process),
    or none in eager mode. celery_session_app is the current app, which @shared_task tasks use."""
    if EAGER:
        return None                                # eager: .delay() runs the task right here
    return request.getfixturevalue("celery_session_worker")


@pytest.fixture(autouse=True)
def db(tmp_path, monkeypatch):
    """Each test gets its own empty database file."""
    monkeypatch.setattr(shop, "DB_PATH", str(tmp_path / "shop.sqlite3"))
