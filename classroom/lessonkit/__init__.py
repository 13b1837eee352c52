"""The lesson kit: the only engine module a lesson's scenario, exercise check and expectations import.

A scenario is a short story on it::

    from classroom.lessonkit import Scenario
    from . import tasks

    scenario = Scenario()          # its words: steps.toml beside it

    @scenario.step()
    def delay_and_get(run):
        result = tasks.add.delay(2, 3)
        run.expect(run.get(result) == 5, "returned")

`run` (a Run) gives bounded waits, task runs from the workers' events (`run.tasks`), queue depth per
transport (`run.queue_depth`), worker handles (`run.worker`), bounded inspect/control, the workers'
logs, per-play state (`run.state`) and run files (`run.file`). A step that needs something a mode lacks
declares it (`needs="processes"`, `"prefork"`, `"redis"`, `"rabbitmq"`) and the engine skips it there,
saying why and which command shows it. See docs/lessonkit.md.
"""
from __future__ import annotations

from classroom import ROOT
from classroom.brokers.depth import Depth
from classroom.errors import ClassroomError, WaitTimeout
from classroom.lessonkit.run import Observation, Run, WorkerHandle, tidy_line
from classroom.lessonkit.step import CAPABILITIES, Scenario, Step, StepSkipped
from classroom.lessonkit.taskruns import TaskRun, TaskRuns, short
from classroom.lessonkit.texts import Texts
from classroom.messages import t
from classroom.player.report import step as report_step
from classroom.practice.checks import Checker, describe_exception
from classroom.runtime import bounds
from classroom.runtime.tracking import EVENT_SLACK_S
from classroom.runtime.waits import call_with_deadline as bounded
from classroom.runtime.waits import inspect, wait_until

__all__ = [
    "ROOT", "CAPABILITIES", "Checker", "ClassroomError", "Depth", "EVENT_SLACK_S", "Observation", "Run",
    "Scenario", "Step", "StepSkipped", "TaskRun", "TaskRuns", "Texts", "WaitTimeout", "WorkerHandle",
    "bounded", "bounds", "describe_exception", "inspect", "report_step", "short", "t", "tidy_line", "wait_until",
]
