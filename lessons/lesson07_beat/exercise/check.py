"""Checks for exercise 7: python runner.py check 7 (a real beat in the checker, a real worker)."""
import threading
import time
from datetime import datetime, timedelta, timezone

from celery.beat import Scheduler, Service
from celery.schedules import crontab

from classroom.lessonkit import Checker

checker = Checker()
WINDOW_S = 1.4


def entries_for(ctx, name):
    schedule = ctx.app.conf.beat_schedule or {}
    return {key: e for key, e in schedule.items() if str(e.get("task", "")).rsplit(".", 1)[-1] == name}


def run_beat(ctx):
    """A real beat for WINDOW_S seconds; the heartbeat runs a worker did in that time."""
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
    return ctx.new_tasks(before, "heartbeat")


@checker.check({"en": "a real beat sends heartbeat about every 0.3 s and a worker runs it (3+ times in 1.4 s)",
                "zh": "真实的 beat 大约每 0.3 秒发送一次 heartbeat，并由 worker 执行（1.4 秒内至少 3 次）"})
def every_third_of_a_second(ctx):
    runs = run_beat(ctx)
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


@checker.explain({"en": "explain: how many heartbeats does one beat send in 1.4 s? (HEARTBEATS_IN_1_4_S, compared with a real run)",
                  "zh": "解释：一个 beat 在 1.4 秒内发送多少次 heartbeat？（HEARTBEATS_IN_1_4_S，与真实运行对比）"})
def predicted_heartbeats(ctx):
    answer = getattr(ctx.module, "HEARTBEATS_IN_1_4_S", None)
    runs = len(run_beat(ctx))
    ctx.data.update(answer=answer, runs=runs)
    # One run more or less is the honest spread: beat's start-up and the window's edges move by a few ms.
    ok = isinstance(answer, int) and not isinstance(answer, bool) and abs(answer - runs) <= 1
    ctx.expect(ok, {"en": f"HEARTBEATS_IN_1_4_S to be a whole number within one of the real count ({runs})",
                    "zh": f"HEARTBEATS_IN_1_4_S 是一个整数，与实际次数（{runs}）最多相差 1"},
               {"en": f"you answered {answer!r}; in {WINDOW_S} s a real beat sent heartbeat {runs} time(s)",
                "zh": f"你的回答是 {answer!r}；{WINDOW_S} 秒内真实的 beat 发送了 {runs} 次 heartbeat"})


@checker.stretch({"en": "stretch: next_report(after) gives when daily-report is next due",
                  "zh": "挑战：next_report(after) 给出 daily-report 下一次到期的时间"})
def next_report_due(ctx):
    utc = timezone.utc
    cases = [datetime(2024, 1, 1, 6, 0, tzinfo=utc), datetime(2024, 1, 1, 7, 30, tzinfo=utc),
             datetime(2024, 1, 1, 23, 59, tzinfo=utc), datetime(2024, 2, 28, 8, 0, tzinfo=utc)]
    wrong = []
    for after in cases:
        due = after.replace(hour=7, minute=30, second=0, microsecond=0)
        wanted = due if due > after else due + timedelta(days=1)
        got = ctx.client("next_report", after)
        if got != wanted:
            wrong.append(f"next_report({after:%Y-%m-%d %H:%M}) -> {got!r}, not {wanted:%Y-%m-%d %H:%M}")
    ctx.data["wrong"] = wrong
    ctx.expect(not wrong, {"en": "the next 07:30 UTC strictly after each datetime",
                           "zh": "每个时间之后（不含该时刻）的下一个 UTC 07:30"},
               {"en": "; ".join(wrong), "zh": "；".join(wrong)})
