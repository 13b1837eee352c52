"""What lesson 7's report must show on a real worker (tick counts and intervals, crontab/timezone maths, two beats = duplicates).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""


from pathlib import Path

from classroom.lessonkit import report_step as step


def near(values, target, slack=0.3):
    return bool(values) and all(abs(v - target) <= slack for v in values)


def check(report: dict, mode: str) -> None:
    one = step(report, "watch_beat")["data"]["one_beat"]
    assert one["tick"]["count"] >= 3 and near(one["tick"]["intervals_s"], 1.0)      # schedule 1.0
    assert near(one["report"]["intervals_s"], 1.5)                                    # timedelta(seconds=1.5)
    assert one["heartbeat"]["count"] >= 1                                             # add_periodic_task
    assert "cleanup" not in one                                                       # crontab */15: not due
    two = step(report, "two_beats")["data"]
    window = two["window_s"]
    assert two["ticks"] >= 4 and two["ticks"] > window + 1           # one beat alone: about window ticks
    assert two["second_alive"] is False
    tz = step(report, "timezones")["data"]
    assert tz["offset_h"] == 8 and tz["nine_utc_hour"] == 1
    files = step(report, "schedule_file")["data"]["schedule_files"]
    assert files and all("/.classroom/beat/" in f or "celery-classroom" in f for f in files)
    assert not any(Path(f).exists() for f in files)                                   # removed at the end
