"""Exercise 17 (lesson 17), solved: a client that trusts only its own CA.

Usage::

    python runner.py check 17 --solutions
"""
import ssl

from celery import Celery

app = Celery("ex17")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


def secure_app(url, ca_file):
    """A Celery app on `url` (rediss://...) for broker and results, trusting only `ca_file`."""
    client = Celery("ex17-client", broker=url, backend=url)
    options = {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": ca_file}
    client.conf.broker_use_ssl = options          # the broker's connections (kombu -> redis-py)
    client.conf.redis_backend_use_ssl = options   # the result backend's own connections
    return client


# CERT_NONE encrypts, but checks nobody's certificate: any server is accepted.
CERT_NONE_ACCEPTS_ANY_SERVER = True


def signed_settings(key, cert, store):
    """Settings that sign every message with the auth serializer and accept nothing else."""
    return {"security_key": key, "security_certificate": cert, "security_cert_store": store,
            "task_serializer": "auth", "result_serializer": "auth",
            "accept_content": ["auth"], "result_accept_content": ["auth"]}
