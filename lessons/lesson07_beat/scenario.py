"""What `python runner.py lesson 7` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file."""
import time
from datetime import datetime, timezone

from celery.schedules import crontab

from classroom.lessonkit import ROOT, Scenario, TaskRuns

from . import tasks

scenario = Scenario()
PERIODIC = ("tick", "report", "heartbeat", "cleanup")


def near(values, target: float, slack: float = 0.3) -> bool:
    return bool(values) and all(abs(v - target) <= slack for v in values)


def intervals(run, runs) -> dict[str, list[float]]:
    """Seconds between the starts of each periodic task, shown and returned by task name."""
    found = {name: runs.named(name).gaps() for name in PERIODIC if runs.named(name)}
    for name, gaps in found.items():
        run.say("ran" if gaps else "ran_once", name=name, count=len(runs.named(name)), intervals=gaps)
    return found


@scenario.step()
def watch_beat(run):
    for name, entry in tasks.app.conf.beat_schedule.items():
        run.echo(f"{name:28} {entry['task'].rsplit('.', 1)[-1]:10} {entry['schedule']!r}")
    run.sleep(3.1)                                    # beat has been running since the lesson began
    ran = run.tasks().named(*PERIODIC)                # what the worker ran meanwhile (its events)
    gaps = intervals(run, ran)
    run.timeline(ran, "one_beat_timeline")
    run.show(tasks.app.AsyncResult(ran[-1].id))
    run.data["one_beat"] = {name: {"count": len(ran.named(name)), "intervals_s": g} for name, g in gaps.items()}
    run.expect(len(ran.named("tick")) >= 3 and near(gaps.get("tick"), 1.0), "tick_every_second")
    run.expect(near(gaps.get("report"), 1.5), "report_every_1_5")
    run.expect(ran.named("heartbeat") and not ran.named("cleanup"), "heartbeat_not_cleanup")


@scenario.step()
def crontab_schedules(run):
    now = tasks.app.now()
    schedules = {                                     # app=: read in the app's timezone
        "every 15 minutes": crontab(minute="*/15", app=tasks.app),
        "every day at 09:00": crontab(minute=0, hour=9, app=tasks.app),
        "Mondays at 07:30": crontab(minute=30, hour=7, day_of_week="mon", app=tasks.app),
    }
    due = {}
    for what, schedule in schedules.items():
        last_run, delta, _ = schedule.remaining_delta(now)   # beat asks the same: when is it next due?
        due[what] = last_run + delta
        run.echo(f"{what:20} {schedule!r:60} next: {due[what]:%a %Y-%m-%d %H:%M %Z}")
    run.data["next_due"] = {what: when.isoformat() for what, when in due.items()}
    run.expect(due["every 15 minutes"].minute % 15 == 0 and due["every 15 minutes"] > now, "quarter_hours")
    run.expect((due["every day at 09:00"].hour, due["Mondays at 07:30"].weekday()) == (9, 0), "nine_and_monday")


@scenario.step()
def timezones(run):
    now = tasks.app.now()                             # aware, in app.conf.timezone
    nine = crontab(minute=0, hour=9, app=tasks.app)
    last_run, delta, _ = nine.remaining_delta(now)
    at_nine = last_run + delta
    run.echo(f"timezone={tasks.app.conf.timezone!r} enable_utc={tasks.app.conf.enable_utc}")
    run.echo(f"app.now()  = {now:%Y-%m-%d %H:%M:%S %Z%z}")
    run.echo(f"UTC now    = {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S %Z}")
    run.say("nine_next", local=f"{at_nine:%H:%M %Z}", utc=f"{at_nine.astimezone(timezone.utc):%H:%M}")
    run.data.update(offset_h=now.utcoffset().total_seconds() / 3600, nine_utc_hour=at_nine.astimezone(timezone.utc).hour)
    run.expect(now.utcoffset().total_seconds() == 8 * 3600, "shanghai")
    run.expect(at_nine.astimezone(timezone.utc).hour == 1, "nine_is_one_utc")


@scenario.step()
def schedule_file(run):
    beat = run.service("beat")
    files = sorted(beat.schedule.parent.glob(beat.schedule.name + "*"))
    run.echo(f"-s {beat.schedule}")
    for path in files:
        run.say("file_size", name=path.name, size=path.stat().st_size)
    run.data["schedule_files"] = [str(p) for p in files]      # the tests check they are gone after the run
    run.expect(files and ROOT / "lessons" not in beat.schedule.parents, "in_state_folder")


@scenario.step()
def two_beats(run):
    second = run.start_service("beat", name="beat2")          # a second, independent beat
    began = time.time()
    run.sleep(2.3)
    stopping = time.time()
    second.stop()                                     # Ctrl+C / SIGTERM
    ended = time.time()
    ran = run.tasks().named(*PERIODIC)
    ran = TaskRuns(r for r in ran if r.received and began <= r.received <= ended)   # sent by either beat
    gaps = intervals(run, ran)
    run.timeline(ran, "two_beats_timeline")
    ticks = len(ran.named("tick"))
    run.data.update(window_s=round(ended - began, 3), second_alive=second.alive(), ticks=ticks, gaps=gaps)
    run.expect(ticks >= 4, "ticks_doubled", count=ticks, side_by_side=stopping - began, stop_s=ended - stopping)
    run.expect(not second.alive(), "second_stopped")
