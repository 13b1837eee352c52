"""Turn the exceptions Celery, kombu and redis-py raise into messages a learner can act on.

`explain(exc)` returns a ClassroomError (bilingual, with the likely cause and the fix) or None
when the exception is not one we know; callers then show it as it is, with its traceback logged.
"""
from __future__ import annotations

import re

from classroom.errors import BrokerError, ClassroomError
from classroom.runtime.waits import module_for


def _name(exc: BaseException) -> str:
    return type(exc).__name__


def _registered(app) -> str:
    """The task names the workers know (bounded inspect), without Celery's built-ins."""
    from classroom.runtime.waits import inspect
    try:
        names = {n for ns in inspect(app, "registered").values() for n in ns}
    except Exception:
        return "?"
    return ", ".join(sorted(n for n in names if not n.startswith("celery."))) or "-"


def explain(exc: BaseException, broker_url: str = "", app=None) -> ClassroomError | None:
    if isinstance(exc, ClassroomError):
        return exc
    name, text = _name(exc), str(exc)
    module = type(exc).__module__ or ""
    if name == "EncodeError":
        kind = re.search(r"type (\w+) is not", text)
        return ClassroomError("explain.encode", type=kind.group(1) if kind else "?", detail=text)
    if name == "NotRegistered":
        return ClassroomError("explain.not_registered", task=text.strip("'\""),
                              known=_registered(app) if app is not None else "?", module=module_for(None))
    if name == "WorkerLostError":
        return ClassroomError("explain.worker_lost", detail=text)
    if name in ("TimeLimitExceeded", "SoftTimeLimitExceeded"):
        return ClassroomError("explain.time_limit", type=name, detail=text)
    if name == "NotImplementedError" and "result backend" in text.lower():
        return ClassroomError("explain.no_backend", detail=text)
    if name == "NotImplementedError" and "chord" in text.lower():
        return ClassroomError("explain.chord_backend", detail=text)
    if name == "ContentDisallowed":
        return ClassroomError("explain.content_disallowed", detail=text)
    # The broker or the result backend went away (or never answered).
    if name == "OperationalError" or (module.startswith("redis") and name in ("ConnectionError", "TimeoutError")) \
            or (name == "RuntimeError" and "result store" in text) \
            or isinstance(exc, (ConnectionError, TimeoutError)) and "celery" not in module:
        return BrokerError("explain.broker_lost", url=broker_url or "?", detail=" ".join(f"{name}: {text}".split()))
    return None
