"""Reading a lesson's JSON report (`lesson N --report FILE`): what each lesson's expect.py asserts on."""
from __future__ import annotations


def step(report: dict, name: str) -> dict:
    """The record of the step whose function is `name`."""
    for record in report["steps"]:
        if record["name"] == name:
            return record
    raise KeyError(f"no step {name!r} in the report of lesson {report.get('lesson')}")
