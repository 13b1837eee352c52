"""What `python runner.py lesson 6` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file."""
from classroom.lessonkit import Scenario

from . import tasks

scenario = Scenario()


def measured(run, results) -> dict:
    """Start times the workers reported (task-started events): spacing overall and per worker. The mean
    gap is what the limit governs; one start can lag a little (a busy machine), the next not."""
    ran = run.tasks(results)
    starts = ran.starts()
    span = starts[-1] - starts[0] if starts else 0.0
    facts = {"count": len(starts), "span_s": round(span, 3), "gaps_s": ran.gaps(),
             "mean_gap_s": round(span / max(len(starts) - 1, 1), 3), "per_worker": ran.count_by_worker(),
             "worker_mean_gap_s": {name: round(sum(runs.gaps()) / len(runs.gaps()), 3)
                                   for name, runs in ran.by_worker().items() if len(runs) > 1}}
    run.say("starts_in", count=facts["count"], span=span, per_worker=facts["per_worker"])
    return facts


@scenario.step()
def burst(run):
    fast = [tasks.unlimited.delay(i) for i in range(10)]      # a burst of 10, no limit
    [run.get(r) for r in fast]
    slow = [tasks.limited.delay(i) for i in range(10)]        # the same burst, limited to 5/s
    values = [run.get(r) for r in slow]
    run.timeline(fast + slow, "unlimited_then_limited")
    run.data.update(unlimited=measured(run, fast), limited=measured(run, slow))
    run.expect(values == list(range(10)), "all_returned")
    run.expect(run.data["limited"]["mean_gap_s"] >= 0.18, "limited_gap", gap=run.data["limited"]["mean_gap_s"])
    run.expect(run.data["limited"]["span_s"] >= 1.6
               and run.data["unlimited"]["span_s"] < run.data["limited"]["span_s"] / 2, "limited_span",
               limited=run.data["limited"]["span_s"], unlimited=run.data["unlimited"]["span_s"])


@scenario.step()
def annotations(run):
    run.echo(f"annotated.rate_limit = {tasks.annotated.rate_limit!r}")
    burst = [tasks.annotated.delay(i) for i in range(5)]
    [run.get(r) for r in burst]
    run.timeline(burst, "annotated_lanes")
    run.data.update(annotated=measured(run, burst), rate_limit=tasks.annotated.rate_limit)
    run.expect(tasks.annotated.rate_limit == "4/s", "annotation_set")
    run.expect(run.data["annotated"]["mean_gap_s"] >= 0.23, "annotated_gap",
               gap=run.data["annotated"]["mean_gap_s"], span=run.data["annotated"]["span_s"])


@scenario.step()
def change_at_run_time(run):
    replies = tasks.app.control.rate_limit(tasks.limited.name, "10/s",
                                           reply=True, timeout=2, limit=len(run.workers))
    burst = [tasks.limited.delay(i) for i in range(10)]
    [run.get(r) for r in burst]
    run.control("rate_limit", task_name=tasks.limited.name, rate_limit="5/s")    # put it back
    run.echo(str(replies))
    run.timeline(burst, "changed_lanes")
    run.data.update(changed=measured(run, burst), replies=replies)
    run.expect(len(replies) == len(run.workers), "answered", count=len(replies))
    run.expect(0.7 <= run.data["changed"]["span_s"] < 1.4, "faster_now", span=run.data["changed"]["span_s"])


@scenario.step()
def per_worker(run):
    burst = [tasks.limited.apply_async((i,), queue="shared") for i in range(10)]
    [run.get(r) for r in burst]
    run.timeline(burst, "shared_lanes")
    run.data.update(shared=measured(run, burst))
    run.expect(len(run.data["shared"]["per_worker"]) == 2, "both_took_part")
    run.expect(all(gap >= 0.18 for gap in run.data["shared"]["worker_mean_gap_s"].values()), "each_kept_its_gap",
               gaps=run.data["shared"]["worker_mean_gap_s"])
    run.expect(run.data["shared"]["span_s"] < 1.4, "twice_as_fast", span=run.data["shared"]["span_s"])
