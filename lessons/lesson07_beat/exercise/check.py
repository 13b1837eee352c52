"""Checks for exercise 7: python runner.py check 7 (a real beat in the checker, a real worker)."""
import threading
import time

from celery.beat import Scheduler, Service
from celery.schedules import crontab

from classroom.practice.checks import Checker

checker = Checker()
WINDOW_S = 1.4


def entries_for(ctx, name):
    schedule = ctx.app.conf.beat_schedule or {}
    return {key: e for key, e in schedule.items() if str(e.get("task", "")).rsplit(".", 1)[-1] == name}


@checker.check({"en": "a real beat sends heartbeat about every 0.3 s and a worker runs it (3+ times in 1.4 s)",
                "zh": "真实的 beat 大约每 0.3 秒发送一次 heartbeat，并由 worker 执行（1.4 秒内至少 3 次）"})
def every_third_of_a_second(ctx):
    before = ctx.known_tasks()
    # The in-memory Scheduler: no celerybeat-schedule file is written by a check.
    beat = Service(ctx.app, max_interval=0.05, scheduler_cls=Scheduler)
    thread = threading.Thread(target=beat.start, daemon=True, name="exercise-beat")
    thread.start()
    try:
        time.sleep(WINDOW_S)
    finally:
        beat.stop()
        thread.join(1.0)
    runs = ctx.new_tasks(before, "heartbeat")
    values = sorted(ctx.value(ctx.app.AsyncResult(r.id), "heartbeat()") for r in runs)
    gaps = [round(b - a, 2) for a, b in zip(values, values[1:])]
    ctx.data.update(runs=len(runs), gaps=gaps, entries=sorted(entries_for(ctx, "heartbeat")))
    ctx.expect(len(runs) >= 3 and all(0.2 <= g <= 0.5 for g in gaps),
               {"en": "beat to send heartbeat at least 3 times, about 0.3 s apart, from an entry in app.conf.beat_schedule",
                "zh": "beat 根据 app.conf.beat_schedule 中的条目至少发送 3 次 heartbeat，间隔约 0.3 秒"},
               {"en": f"in {WINDOW_S} s beat sent heartbeat {len(runs)} time(s); gaps between runs: {gaps} s",
                "zh": f"{WINDOW_S} 秒内 beat 发送了 {len(runs)} 次 heartbeat；各次执行的间隔：{gaps} 秒"})


@checker.check({"en": "daily_report is scheduled with crontab every day at 07:30",
                "zh": "daily_report 用 crontab 安排在每天 07:30 运行"})
def daily_at_half_past_seven(ctx):
    entries = entries_for(ctx, "daily_report")
    schedules = [e.get("schedule") for e in entries.values()]
    good = [s for s in schedules if isinstance(s, crontab) and s.hour == {7} and s.minute == {30}
            and len(s.day_of_week) == 7]
    ctx.data["schedules"] = [repr(s) for s in schedules]
    ctx.expect(bool(good), {"en": "an entry for daily_report with schedule crontab(hour=7, minute=30)",
                            "zh": "有一个 daily_report 条目，schedule 为 crontab(hour=7, minute=30)"},
               {"en": f"entries for daily_report: {entries or 'none'}", "zh": f"daily_report 的条目：{entries or '没有'}"})
