"""Exercise 23 (classroom c), reference solution: a task that fails on purpose, and what the caller sees.

Usage::

    python runner.py check 23 --solutions
"""
from celery import Celery

app = Celery("ex23")
app.config_from_object("classroom.celeryconfig")


@app.task
def parse_age(text):
    """'42' -> 42. Anything that is not a whole number from 0 to 150 is an error."""
    if not text.isdigit() or int(text) > 150:
        raise ValueError(f"not an age: {text!r}")
    return int(text)


def explain(result):
    """What happened to a task, without raising: {"state": ..., "error": ..., "message": ...}."""
    value = result.get(timeout=5, propagate=False)
    if result.state == "FAILURE":
        return {"state": "FAILURE", "error": type(value).__name__, "message": str(value)}
    return {"state": result.state, "error": None, "message": None}


# " 42 ".isdigit() is False, so this parse_age rejects it (int(" 42 ") alone would accept it).
PADDED_AGE_STATE = "FAILURE"


def ages(texts):
    """Stretch: every text sent at once; {text: age, or None where the task failed}."""
    results = {text: parse_age.delay(text) for text in texts}
    return {text: (value if result.state == "SUCCESS" else None)
            for text, result in results.items()
            for value in [result.get(timeout=5, propagate=False)]}
