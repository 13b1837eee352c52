"""Signed messages with Celery's `auth` serializer, in a process of its own.

Usage::

    python -m lessons.lesson17_secure.signing KEY CERT STORE_DIR

app.setup_security() makes kombu's registry refuse to decode anything but `auth` in the whole
process, so this runs in a child process, not in the runner. It prints one JSON line: what a
consumer that accepts only `auth` does with a signed body, the same body tampered with, and an
unsigned JSON body.
"""
import base64
import json
import sys

from celery import Celery
from kombu.serialization import dumps, loads


def main(key: str, cert: str, store: str) -> dict:
    app = Celery("signed", broker="memory://")
    app.conf.update(
        security_key=key,                  # this producer's private key
        security_certificate=cert,         # its certificate: its id travels with each message
        security_cert_store=store,         # the certificates a consumer trusts (a folder or a glob)
        task_serializer="auth", result_serializer="auth",
        accept_content=["auth"], result_accept_content=["auth"],
    )
    app.setup_security()
    message = {"task": "add", "args": [2, 3]}
    content_type, encoding, body = dumps(message, serializer="auth")   # what a producer publishes
    accept = {content_type}                                            # what accept_content=["auth"] allows
    said = {"content_type": content_type, "body_bytes": len(body)}
    said["signed"] = loads(body, content_type, encoding, accept=accept)
    # an attacker on the way changes the arguments inside the signed envelope (base64 of
    # signer, signature, content type, encoding, body) and leaves the signature as it was
    tampered = base64.b64encode(base64.b64decode(body).replace(b'"args": [2, 3]', b'"args": [2, 4]'))
    said["tampered_changed"] = tampered != body
    for label, (ctype, enc, data) in {"tampered": (content_type, encoding, tampered),
                                      "unsigned": dumps(message, serializer="json")}.items():
        try:
            said[label] = loads(data, ctype, enc, accept=accept)
        except Exception as exc:           # what the worker logs and rejects
            said[label] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:90]}"
    return said


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
