"""Lesson 6 on real workers: measured start spacing against the limit, a runtime change, two workers = twice the rate."""
import pytest

from .helpers import lesson, processes_matching, step


def assert_lesson6_real(report: dict) -> None:
    assert report["passed"] == report["total"] == 4, report
    burst = step(report, "burst")["data"]
    limited, unlimited = burst["limited"], burst["unlimited"]
    assert limited["count"] == unlimited["count"] == 10
    assert limited["mean_gap_s"] >= 0.18                               # 5/s: a token every 0.2 s
    assert 1.6 <= limited["span_s"] < 2.6                              # 9 gaps of 0.2 s
    assert unlimited["span_s"] < limited["span_s"] / 2
    annotated = step(report, "annotations")["data"]
    assert annotated["rate_limit"] == "4/s"
    assert annotated["annotated"]["mean_gap_s"] >= 0.23 and annotated["annotated"]["span_s"] >= 0.9
    changed = step(report, "change_at_run_time")["data"]
    assert len(changed["replies"]) == 2                                # both workers acknowledged
    assert 0.7 <= changed["changed"]["span_s"] < 1.4                   # 10/s now
    shared = step(report, "per_worker")["data"]["shared"]
    assert sorted(shared["per_worker"]) == sorted(report["workers"])    # both workers took part
    assert all(gap >= 0.18 for gap in shared["worker_mean_gap_s"].values())   # each worker still keeps 5/s
    assert shared["span_s"] < 0.75 * limited["span_s"]                 # together about twice as fast


def test_memory_mode(tmp_path):
    proc, report = lesson(6, "--broker", "memory", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "memory"
    assert_lesson6_real(report)


@pytest.mark.broker
def test_redis_mode(tmp_path, redis_url):
    proc, report = lesson(6, "--broker-url", redis_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "redis"
    assert_lesson6_real(report)
    assert not processes_matching(report["workers"][0].split("@")[1])


@pytest.mark.broker
def test_rabbitmq_mode(tmp_path, amqp_url):
    proc, report = lesson(6, "--broker-url", amqp_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "rabbitmq"
    assert_lesson6_real(report)
    assert not processes_matching(report["workers"][0].split("@")[1])
