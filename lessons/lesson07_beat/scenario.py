"""What `python runner.py lesson 7` plays. Each step's body is shown to the learner as it runs."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from celery.schedules import crontab

from classroom import ROOT
from classroom.player.scenario import Scenario
from classroom.runtime.tracking import tracker

from . import tasks

scenario = Scenario()
PERIODIC = ("tick", "report", "heartbeat", "cleanup")


def executions(run, since: float = 0.0, until: float | None = None) -> list:
    """The periodic tasks the worker reported (Celery events), received between `since` and `until`."""
    time.sleep(0.2)                                   # events trail the task by a few milliseconds
    until = until or time.time()
    recs = sorted((rec for rec in list(tracker.tasks.values())
                   if rec.name.rsplit(".", 1)[-1] in PERIODIC and rec.received and since <= rec.received <= until),
                  key=lambda rec: rec.received)
    return [tasks.app.AsyncResult(rec.id) for rec in recs]


def spacing(run, results, key: str) -> dict:
    """Times between the runs of each periodic task (from task-received events), for the report."""
    runs: dict[str, list[float]] = {}
    for result in results:
        rec = tracker.tasks[result.id]
        runs.setdefault(rec.name.rsplit(".", 1)[-1], []).append(rec.received)
    facts = {name: {"count": len(ts), "intervals_s": [round(b - a, 3) for a, b in zip(ts, ts[1:])]}
             for name, ts in runs.items()}
    run.data[key] = facts
    for name, fact in sorted(facts.items()):
        run.say({"en": f"{name}: ran {fact['count']}×, intervals {fact['intervals_s']} s",
                 "zh": f"{name}：运行 {fact['count']} 次，间隔 {fact['intervals_s']} 秒"})
    return facts


def near(values, target: float, slack: float = 0.3) -> bool:
    return bool(values) and all(abs(v - target) <= slack for v in values)


@scenario.step(
    title={"en": "beat_schedule: beat sends each entry on time, a worker runs it",
           "zh": "beat_schedule：beat 按时发送每个条目，由 worker 执行"},
    explain={"en": "Beat does not run tasks: it only sends a message when an entry is due, like delay() would. "
                   "A number is seconds; a timedelta is the same, more readable; add_periodic_task adds entries "
                   "from code. Nothing was sent at start: each interval counts from when beat started.",
             "zh": "beat 本身不执行任务：条目到期时，它只是发送一条消息，和调用 delay() 一样。"
                   "数字表示秒；timedelta 意思相同，但更易读；add_periodic_task 用代码添加条目。"
                   "启动时什么也不发送：每个间隔都从 beat 启动时开始计算。"},
)
def watch_beat(run):
    for name, entry in tasks.app.conf.beat_schedule.items():
        run.say(f"{name:28} {entry['task'].rsplit('.', 1)[-1]:10} {entry['schedule']!r}")
    run.sleep(3.1)                                    # beat has been running since the lesson began
    ran = executions(run)
    facts = spacing(run, ran, "one_beat")
    run.timeline(ran, {"en": "what one beat sent in 3 s", "zh": "一个 beat 在 3 秒内发送的任务"})
    run.show(ran[-1])
    run.expect(facts.get("tick", {}).get("count", 0) >= 3 and near(facts["tick"]["intervals_s"], 1.0),
               {"en": "tick ran every 1.0 s (± 0.3)", "zh": "tick 每 1.0 秒运行一次（± 0.3）"})
    run.expect(near(facts.get("report", {}).get("intervals_s", []), 1.5),
               {"en": "report ran every 1.5 s (timedelta)", "zh": "report 每 1.5 秒运行一次（timedelta）"})
    run.expect(facts.get("heartbeat", {}).get("count", 0) >= 1 and "cleanup" not in facts,
               {"en": "heartbeat (add_periodic_task) ran; cleanup (crontab, every 15 min) did not",
                "zh": "heartbeat（add_periodic_task）运行了；cleanup（crontab，每 15 分钟）没有运行"})


@scenario.step(
    title={"en": "crontab: wall-clock schedules, and when they are next due",
           "zh": "crontab：按钟表时间调度，以及下一次何时到期"},
    explain={"en": "crontab(minute, hour, day_of_week, day_of_month, month_of_year) works like cron: each field "
                   "is a value, a list '0,30', a range '1-5' or a step '*/15'. Unset fields mean 'every'; "
                   "crontab() alone is every minute. Its resolution is one minute.",
             "zh": "crontab(minute, hour, day_of_week, day_of_month, month_of_year) 的写法和 cron 一样："
                   "每个字段可以是一个值、列表 '0,30'、范围 '1-5' 或步长 '*/15'。没写的字段表示“每个”；"
                   "只写 crontab() 就是每分钟一次。它的精度是一分钟。"},
)
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
        run.say(f"{what:20} {schedule!r:60} next: {due[what]:%a %Y-%m-%d %H:%M %Z}")
    run.data["next_due"] = {what: when.isoformat() for what, when in due.items()}
    run.expect(due["every 15 minutes"].minute % 15 == 0 and due["every 15 minutes"] > now,
               {"en": "the next 15-minute run is at :00, :15, :30 or :45", "zh": "下一次 15 分钟任务在 :00、:15、:30 或 :45"})
    run.expect((due["every day at 09:00"].hour, due["Mondays at 07:30"].weekday()) == (9, 0),
               {"en": "09:00 is read in the app's timezone; the Monday one falls on a Monday",
                "zh": "09:00 按 app 的时区理解；周一的条目确实落在周一"})


@scenario.step(
    title={"en": "timezone and enable_utc", "zh": "timezone 与 enable_utc"},
    explain={"en": "timezone says how crontab times are read (and what app.now() shows); enable_utc=True keeps "
                   "every timestamp in messages in UTC. Set timezone to where your schedule's '09:00' lives.",
             "zh": "timezone 决定 crontab 里的时间按哪个时区理解（以及 app.now() 显示什么）；"
                   "enable_utc=True 让消息里的时间戳都用 UTC。把 timezone 设为你调度表里的“09:00”所指的时区。"},
)
def timezones(run):
    now = tasks.app.now()                             # aware, in app.conf.timezone
    nine = crontab(minute=0, hour=9, app=tasks.app)
    last_run, delta, _ = nine.remaining_delta(now)
    at_nine = last_run + delta
    run.say(f"timezone={tasks.app.conf.timezone!r} enable_utc={tasks.app.conf.enable_utc}")
    run.say(f"app.now()  = {now:%Y-%m-%d %H:%M:%S %Z%z}")
    run.say(f"UTC now    = {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S %Z}")
    run.say({"en": f"crontab(hour=9) next: {at_nine:%H:%M %Z} = {at_nine.astimezone(timezone.utc):%H:%M} UTC",
             "zh": f"crontab(hour=9) 下次：{at_nine:%H:%M %Z} = UTC {at_nine.astimezone(timezone.utc):%H:%M}"})
    run.data.update(offset_h=now.utcoffset().total_seconds() / 3600, nine_utc_hour=at_nine.astimezone(timezone.utc).hour)
    run.expect(now.utcoffset().total_seconds() == 8 * 3600,
               {"en": "app.now() is in Asia/Shanghai (UTC+8)", "zh": "app.now() 使用 Asia/Shanghai 时区（UTC+8）"})
    run.expect(at_nine.astimezone(timezone.utc).hour == 1,
               {"en": "09:00 in Shanghai is 01:00 UTC", "zh": "上海时间 09:00 是 UTC 01:00"})


@scenario.step(
    title={"en": "The schedule file: when each entry last ran", "zh": "调度文件：记录每个条目上次运行的时间"},
    explain={"en": "Beat saves each entry's last run in a shelve file (-s; default ./celerybeat-schedule) so that "
                   "a restart does not send everything again. A corrupted file is not fatal: beat logs 'Removing "
                   "corrupted schedule file', deletes it and starts a new one. "
                   "The runner gives each run its own file in .classroom/beat/ and deletes it at the end.",
             "zh": "beat 把每个条目的上次运行时间保存在一个 shelve 文件里（-s；默认 ./celerybeat-schedule），"
                   "这样重启后不会把所有任务再发一遍。文件损坏并不致命：beat 会记录 “Removing corrupted schedule file”，"
                   "删除它并新建一个。"
                   "runner 每次运行都在 .classroom/beat/ 里使用单独的文件，结束时删除。"},
)
def schedule_file(run):
    beat = run.session.services["beat"]
    files = sorted(beat.schedule.parent.glob(beat.schedule.name + "*"))
    run.say(f"-s {beat.schedule}")
    for path in files:
        run.say({"en": f"   {path.name}  {path.stat().st_size} bytes", "zh": f"   {path.name}  {path.stat().st_size} 字节"})
    run.data["schedule_files"] = [str(p) for p in files]
    run.expect(files and ROOT / "lessons" not in beat.schedule.parents,
               {"en": "the schedule file exists, in the runner's state folder, not among the lessons",
                "zh": "调度文件存在，位于 runner 的状态目录里，而不在课程目录中"})


@scenario.step(
    title={"en": "Two beats = every task twice; stopping beat cleanly",
           "zh": "两个 beat = 每个任务都发两遍；干净地停止 beat"},
    explain={"en": "Each beat keeps its own schedule, so a second one (another server, a worker started with -B, "
                   "a forgotten terminal) sends every entry again. Run exactly one. Stop it with Ctrl+C or "
                   "SIGTERM: it saves its schedule file and exits, leaving no process behind.",
             "zh": "每个 beat 都有自己的调度表，所以第二个 beat（另一台服务器、用 -B 启动的 worker、"
                   "一个被遗忘的终端）会把每个条目再发一遍。只运行一个。用 Ctrl+C 或 SIGTERM 停止它："
                   "它会保存调度文件后退出，不留下任何进程。"},
)
def two_beats(run):
    second = run.session.start_service("beat", name="beat2")          # a second, independent beat
    began = time.time()
    run.sleep(2.3)
    stopping = time.time()
    second.stop()                                     # Ctrl+C / SIGTERM
    ended = time.time()
    ran = executions(run, since=began, until=ended)
    facts = spacing(run, ran, "two_beats")
    run.timeline(ran, {"en": "two beats at once", "zh": "两个 beat 同时运行"})
    run.data.update(window_s=round(ended - began, 3), second_alive=second.alive())
    run.expect(facts.get("tick", {}).get("count", 0) >= 4,
               {"en": f"tick ran {facts.get('tick', {}).get('count', 0)}× while the second beat was up "
                      f"({stopping - began:.1f} s side by side, then {ended - stopping:.1f} s to stop it): "
                      "about twice a second, not once",
                "zh": f"第二个 beat 运行期间（并行 {stopping - began:.1f} 秒，再用 {ended - stopping:.1f} 秒停止它），"
                      f"tick 运行了 {facts.get('tick', {}).get('count', 0)} 次：大约每秒两次，而不是一次"})
    run.expect(not second.alive(), {"en": "the second beat stopped; nothing of it is left running",
                                    "zh": "第二个 beat 已停止，没有留下任何进程"})
