"""What `python runner.py lesson 5` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file."""
import re

from celery.utils.time import get_exponential_backoff_interval

from classroom.lessonkit import EVENT_SLACK_S, Scenario

from . import tasks

scenario = Scenario()


def attempts(run, result, key: str) -> list:
    """Each attempt of `result` as the worker's events reported it, recorded under `key` with the spacing
    from one start to the next (a retry's countdown starts during the attempt, so the next start comes at
    least that much later)."""
    tries = run.task(result).attempts            # (start, end, state) per attempt
    spacing = [round(nxt[0] - cur[0], 3) for cur, nxt in zip(tries, tries[1:])]
    run.data[key] = {"attempts": [{"start": a, "end": b, "state": s} for a, b, s in tries],
                     "spacing_s": spacing, "states": [s for _, _, s in tries]}
    run.say("attempts", states=" → ".join(run.data[key]["states"]), spacing=spacing)
    return tries


@scenario.step()
def retry_with_countdown(run):
    result = tasks.fetch.delay("https://example.com", fail_times=2)
    value = run.get(result)
    run.show(result)
    tries = attempts(run, result, "fetch")
    run.timeline([result], "one_id_three_attempts")
    run.expect(value.endswith("after 2 retries") and [s for _, _, s in tries] == ["RETRY", "RETRY", "SUCCESS"],
               "two_retries_then_success")
    run.expect(all(0.3 - EVENT_SLACK_S <= gap < 1.0         # event times, with their slack: 0.299 s seen once
                   for gap in run.data["fetch"]["spacing_s"]), "waited_countdown")


@scenario.step()
def autoretry_backoff(run):
    result = tasks.sync_account.delay(42, fail_times=2)
    value = run.get(result, timeout=6)
    run.show(result)
    tries = attempts(run, result, "sync_account")
    run.timeline([result], "backoff_doubles")
    planned = [get_exponential_backoff_interval(1, n, 2) for n in range(5)]          # what Celery computes
    jittered = [get_exponential_backoff_interval(1, n, 2, full_jitter=True) for n in range(5)]
    run.say("planned_waits", planned=planned, jittered=jittered)
    run.expect(value == "account 42 synced" and len(tries) == 3, "three_attempts")
    run.expect(len(run.data["sync_account"]["spacing_s"]) == 2 and 1.0 <= run.data["sync_account"]["spacing_s"][0] < 1.6
               and 2.0 <= run.data["sync_account"]["spacing_s"][1] < 2.6,
               "measured_waits", gaps=run.data["sync_account"]["spacing_s"])


@scenario.step()
def final_failure(run):
    result = tasks.charge.delay("A-1001")
    error = run.get(result, propagate=False)
    run.show(result)
    tries = attempts(run, result, "charge")
    run.echo(result.traceback.strip().splitlines()[-1])
    run.expect(isinstance(error, ConnectionError) and result.state == "FAILURE", "failure_with_exc")
    run.expect(len(tries) == 3 and "ConnectionError" in result.traceback, "one_plus_two")


@scenario.step()
def task_hooks(run):
    ok = tasks.send_report.delay(fail_times=1)        # retried once, then succeeds
    bad = tasks.send_report.delay(fail_times=2)       # retried once, then out of retries
    run.get(ok)
    run.get(bad, propagate=False)
    run.show(ok)
    run.show(bad)
    run.state["log"] = run.log("CallbackTask.", count=4)     # what the worker's terminal shows
    run.echo("\n".join(run.state["log"]))
    run.data["hooks"] = [re.search(r"CallbackTask\.(on_\w+)", line).group(1) for line in run.state["log"]]
    run.expect(sorted(run.data["hooks"]) == sorted(["on_retry", "on_success", "on_retry", "on_failure"]),
               "hooks_logged")


@scenario.step()
def link_error(run):
    result = tasks.charge.apply_async(("A-1002",), link_error=tasks.report_error.s())
    run.get(result, propagate=False)
    run.show(result)
    run.state["log"] = run.log(f"report_error: task {result.id[:8]}")    # the worker's log, ids cut to 8
    run.echo("\n".join(run.state["log"]))
    run.data["errback_lines"] = len(run.state["log"])
    run.expect(result.state == "FAILURE" and len(run.state["log"]) == 1, "errback_once")


@scenario.step(needs="prefork")
def time_limits(run):
    soft = tasks.crunch.delay(5)                      # would take 5 s; the soft limit is 0.5 s
    hard = tasks.stuck.delay(5)                       # the hard limit is 0.5 s
    cleaned = run.get(soft)
    error = run.get(hard, propagate=False)
    run.show(soft)
    run.show(hard)
    run.data.update(crunch=cleaned, stuck=repr(error),
                    time_limits={r.name: r.seconds for r in run.tasks([soft, hard])})
    run.expect(cleaned.startswith("stopped after") and (run.data["time_limits"]["crunch"] or 9) < 1.4,
               "soft_cleaned_up", seconds=run.data["time_limits"]["crunch"] or float("nan"))
    run.expect(type(error).__name__ == "TimeLimitExceeded" and hard.state == "FAILURE"
               and (run.data["time_limits"]["stuck"] or 9) < 1.4,
               "hard_killed", seconds=run.data["time_limits"]["stuck"] or float("nan"))


@scenario.step()
def idempotency(run):
    ledger = run.file("ledger.txt")                   # a fresh file the tasks append to
    twice = tasks.record_payment.delay(ledger, "A-2001", 30)
    run.get(twice)
    once = tasks.record_payment_once.delay(ledger, "A-2002", 30)
    run.get(once)
    with open(ledger, encoding="utf-8") as fh:
        paid = fh.read().split()[::2]                 # the order ids in the ledger
    run.show(twice)
    run.show(once)
    run.say("ledger", lines=paid)
    run.data["ledger"] = paid
    run.expect(paid.count("A-2001") == 2, "paid_twice")
    run.expect(paid.count("A-2002") == 1, "paid_once")
