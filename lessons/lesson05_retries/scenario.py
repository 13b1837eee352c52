"""What `python runner.py lesson 5` plays. Each step's body is shown to the learner as it runs."""
import re

from celery.utils.time import get_exponential_backoff_interval

from classroom import paths
from classroom.player.scenario import Scenario
from classroom.runtime.tracking import tracker
from classroom.runtime.waits import wait_until

from . import tasks

scenario = Scenario()
ONLY_PREFORK = {
    "en": "Time limits need the prefork pool. In memory mode the worker uses the threads pool, which "
          "ignores time_limit and soft_time_limit without a warning (a 5 s task with time_limit=2 runs "
          "to the end). See it enforced: python runner.py lesson 5 --broker redis",
    "zh": "时间限制需要 prefork 池。内存模式下 worker 使用 threads 池，它会默默忽略 time_limit 和 "
          "soft_time_limit（time_limit=2 的 5 秒任务照样跑完）。要看到限制真正生效，请运行："
          "python runner.py lesson 5 --broker redis",
}


def tidy(lines: list[str]) -> str:
    """Worker log lines without the logger prefix, task ids cut to 8 characters."""
    return "\n".join(re.sub(r"([0-9a-f]{8})-[0-9a-f-]{27}", r"\1", line.split("]: ", 1)[-1]) for line in lines)


def durations(run, key: str, **results) -> dict:
    """How long each task ran (task-started to its final event), for the report."""
    tracker.settle([r.id for r in results.values()], 1.0)
    took = {name: round(tracker.tasks[r.id].ended - tracker.tasks[r.id].started, 3)
            for name, r in results.items() if tracker.tasks.get(r.id) and tracker.tasks[r.id].ended}
    run.data[key] = took
    return took


def attempts(run, result, key: str) -> list[dict]:
    """Each attempt of `result` as the worker's events reported it; spacing = from one start to the next
    (a retry's countdown starts during the attempt, so the next start comes at least that much later)."""
    def finished() -> bool:
        rec = tracker.tasks.get(result.id)
        return bool(rec and rec.attempts and rec.attempts[-1][2] in ("SUCCESS", "FAILURE"))
    wait_until(finished, 1.0, 0.02)
    rec = tracker.tasks.get(result.id)
    tries = [{"start": a, "end": b, "state": s} for a, b, s in (rec.attempts if rec else [])]
    spacing = [round(nxt["start"] - cur["start"], 3) for cur, nxt in zip(tries, tries[1:])]
    run.data[key] = {"attempts": tries, "spacing_s": spacing, "states": [a["state"] for a in tries]}
    run.say({"en": f"attempts: {' → '.join(a['state'] for a in tries)}; from one start to the next: {spacing} s",
             "zh": f"各次尝试：{' → '.join(a['state'] for a in tries)}；相邻两次开始之间：{spacing} 秒"})
    return tries


@scenario.step(
    title={"en": "self.retry(exc=..., countdown=0.3): fail twice, then succeed",
           "zh": "self.retry(exc=..., countdown=0.3)：失败两次，然后成功"},
    explain={"en": "retry() re-sends the same task (same id) with a countdown and ends this attempt by raising "
                   "Retry; the state is RETRY in between. max_retries=3 bounds it; self.request.retries counts.",
             "zh": "retry() 带着倒计时重新发送同一个任务（id 不变），并抛出 Retry 结束本次尝试；"
                   "其间状态为 RETRY。max_retries=3 限定次数；self.request.retries 记录已重试几次。"},
)
def retry_with_countdown(run):
    result = tasks.fetch.delay("https://example.com", fail_times=2)
    value = run.get(result)
    run.show(result)
    tries = attempts(run, result, "fetch")
    run.timeline([result], {"en": "one task id, three attempts", "zh": "同一个任务 id，三次尝试"})
    run.expect(value.endswith("after 2 retries") and [a["state"] for a in tries] == ["RETRY", "RETRY", "SUCCESS"],
               {"en": "two RETRY attempts, then SUCCESS", "zh": "两次 RETRY，然后 SUCCESS"})
    run.expect(all(0.3 <= gap < 1.0 for gap in run.data["fetch"]["spacing_s"]),
               {"en": "each retry waited its countdown (≥ 0.3 s)", "zh": "每次重试都等待了倒计时（≥ 0.3 秒）"})


@scenario.step(
    title={"en": "autoretry_for with retry_backoff: waits of 1 s, then 2 s",
           "zh": "autoretry_for 加 retry_backoff：先等 1 秒，再等 2 秒"},
    explain={"en": "autoretry_for retries the listed exceptions for you. retry_backoff=1 waits 1, 2, 4… s "
                   "(whole seconds), retry_backoff_max caps it, retry_jitter=True (the default) picks a random "
                   "wait up to that value so that many failing tasks do not retry in step. sync_account sets "
                   "retry_jitter=False, so that the waits measured here are exactly 1 and 2 s.",
             "zh": "autoretry_for 会自动重试列出的异常。retry_backoff=1 依次等待 1、2、4… 秒（整秒），"
                   "retry_backoff_max 设定上限；retry_jitter=True（默认）在这个上限内随机取值，"
                   "避免大量失败的任务同时重试。sync_account 设置了 retry_jitter=False，"
                   "所以这里测到的等待正好是 1 秒和 2 秒。"},
)
def autoretry_backoff(run):
    result = tasks.sync_account.delay(42, fail_times=2)
    value = run.get(result, timeout=6)
    run.show(result)
    tries = attempts(run, result, "sync_account")
    run.timeline([result], {"en": "backoff: the second wait is twice the first", "zh": "退避：第二次等待是第一次的两倍"})
    planned = [get_exponential_backoff_interval(1, n, 2) for n in range(5)]          # what Celery computes
    jittered = [get_exponential_backoff_interval(1, n, 2, full_jitter=True) for n in range(5)]
    run.say({"en": f"retry_backoff=1, retry_backoff_max=2, retry_jitter=False (this task) → {planned}; "
                   f"with the default retry_jitter=True → e.g. {jittered}",
             "zh": f"retry_backoff=1, retry_backoff_max=2, retry_jitter=False（本任务）→ {planned}；"
                   f"默认的 retry_jitter=True → 例如 {jittered}"})
    gaps = run.data["sync_account"]["spacing_s"]
    run.expect(value == "account 42 synced" and len(tries) == 3, {"en": "3 attempts, then the result",
                                                                  "zh": "3 次尝试后得到结果"})
    run.expect(len(gaps) == 2 and 1.0 <= gaps[0] < 1.6 and 2.0 <= gaps[1] < 2.6,
               {"en": f"measured waits {gaps} s ≈ [1, 2]", "zh": f"实测等待 {gaps} 秒，约为 [1, 2]"})


@scenario.step(
    title={"en": "Out of retries: FAILURE with the original exception and its traceback",
           "zh": "重试用尽：FAILURE，带着原始异常和 traceback"},
    explain={"en": "After max_retries=2, retry(exc=exc) raises exc itself: the task fails with ConnectionError, "
                   "not with Retry or MaxRetriesExceededError (that one only comes when no exc is given).",
             "zh": "max_retries=2 用完后，retry(exc=exc) 直接抛出 exc 本身：任务以 ConnectionError 失败，"
                   "而不是 Retry 或 MaxRetriesExceededError（只有不传 exc 时才是后者）。"},
)
def final_failure(run):
    result = tasks.charge.delay("A-1001")
    error = run.get(result, propagate=False)
    run.show(result)
    tries = attempts(run, result, "charge")
    run.say(result.traceback.strip().splitlines()[-1])
    run.expect(isinstance(error, ConnectionError) and result.state == "FAILURE",
               {"en": "state FAILURE, result is the ConnectionError", "zh": "状态为 FAILURE，结果是 ConnectionError"})
    run.expect(len(tries) == 3 and "ConnectionError" in result.traceback,
               {"en": "1 attempt + 2 retries; the traceback names ConnectionError",
                "zh": "1 次尝试 + 2 次重试；traceback 里是 ConnectionError"})


@scenario.step(
    title={"en": "A custom Task base class: on_retry, on_success, on_failure",
           "zh": "自定义 Task 基类：on_retry、on_success、on_failure"},
    explain={"en": "Hooks run in the worker, after the attempt, for every task with base=CallbackTask: "
                   "a place for metrics, alerts or cleanup. Their output is in the worker's log.",
             "zh": "钩子在 worker 里、每次尝试之后运行，对所有 base=CallbackTask 的任务都生效："
                   "适合放指标统计、告警或清理。它们的输出在 worker 的日志里。"},
)
def task_hooks(run):
    ok = tasks.send_report.delay(fail_times=1)        # retried once, then succeeds
    bad = tasks.send_report.delay(fail_times=2)       # retried once, then out of retries
    run.get(ok)
    run.get(bad, propagate=False)
    log = run.worker_log("CallbackTask.", count=4)   # what the worker's terminal shows
    run.show(ok)
    run.show(bad)
    run.say(tidy(log))
    hooks = [re.search(r"CallbackTask\.(on_\w+)", line).group(1) for line in log]
    run.data["hooks"] = hooks
    run.expect(sorted(hooks) == sorted(["on_retry", "on_success", "on_retry", "on_failure"]),
               {"en": "the worker logged on_retry twice, on_success once, on_failure once",
                "zh": "worker 日志里有两次 on_retry、一次 on_success、一次 on_failure"})


@scenario.step(
    title={"en": "link_error: an errback the worker calls when a task finally fails",
           "zh": "link_error：任务最终失败时由 worker 调用的错误回调"},
    explain={"en": "An errback with (request, exc, traceback) arguments is called in the worker after the last "
                   "attempt fails, not after each retry. Use it to alert or to compensate.",
             "zh": "参数为 (request, exc, traceback) 的错误回调，会在最后一次尝试失败后由 worker 调用，"
                   "而不是每次重试后都调用。可以用来告警或做补偿。"},
)
def link_error(run):
    result = tasks.charge.apply_async(("A-1002",), link_error=tasks.report_error.s())
    run.get(result, propagate=False)
    log = run.worker_log(f"report_error: task {result.id}")
    run.show(result)
    run.say(tidy(log))
    run.data["errback_lines"] = len(log)
    run.expect(result.state == "FAILURE" and len(log) == 1,
               {"en": "the errback ran once, after the final failure", "zh": "错误回调只运行了一次，在最终失败之后"})


@scenario.step(
    title={"en": "soft_time_limit and time_limit (prefork pool)",
           "zh": "soft_time_limit 与 time_limit（prefork 池）"},
    explain={"en": "At soft_time_limit the task gets SoftTimeLimitExceeded and can clean up. At time_limit the "
                   "worker kills the process running it: FAILURE with TimeLimitExceeded and a fresh process.",
             "zh": "到达 soft_time_limit 时，任务里会抛出 SoftTimeLimitExceeded，任务可以清理后结束。"
                   "到达 time_limit 时，worker 直接杀掉执行它的进程：FAILURE，异常为 TimeLimitExceeded，"
                   "并换上一个新进程。"},
    modes=("redis", "rabbitmq"), unsupported=ONLY_PREFORK,
)
def time_limits(run):
    soft = tasks.crunch.delay(5)                      # would take 5 s; the soft limit is 0.5 s
    hard = tasks.stuck.delay(5)                       # the hard limit is 0.5 s
    cleaned = run.get(soft)
    error = run.get(hard, propagate=False)
    took = durations(run, "time_limits", crunch=soft, stuck=hard)
    run.show(soft)
    run.show(hard)
    run.data.update(crunch=cleaned, stuck=repr(error))
    run.expect(cleaned.startswith("stopped after") and took.get("crunch", 9) < 1.4, {"en": "crunch caught SoftTimeLimitExceeded and cleaned up",
                                                     "zh": "crunch 捕获了 SoftTimeLimitExceeded 并完成清理"})
    run.expect(type(error).__name__ == "TimeLimitExceeded" and hard.state == "FAILURE" and took.get("stuck", 9) < 1.4,
               {"en": "stuck was killed: FAILURE, TimeLimitExceeded", "zh": "stuck 被杀掉：FAILURE，TimeLimitExceeded"})


@scenario.step(
    title={"en": "Idempotency: the rule that makes retries safe", "zh": "幂等性：让重试变得安全的规则"},
    explain={"en": "A retry runs the whole task again. If the first attempt already did its work (the reply was "
                   "lost), a non-idempotent task does it twice. Key the work (an order id, a unique constraint) "
                   "so that doing it again changes nothing.",
             "zh": "重试会把整个任务再执行一遍。如果第一次尝试其实已经完成了工作（只是回复丢了），"
                   "非幂等的任务就会做两遍。给工作加上键（订单号、唯一约束），让重复执行不产生任何变化。"},
)
def idempotency(run):
    ledger = paths.state_dir() / f"lesson05-ledger-{run.workers[0].split('@')[-1]}.txt"
    ledger.write_text("")
    twice = tasks.record_payment.delay(str(ledger), "A-2001", 30)
    run.get(twice)
    once = tasks.record_payment_once.delay(str(ledger), "A-2002", 30)
    run.get(once)
    lines = ledger.read_text().split()[::2]           # the order ids in the ledger
    ledger.unlink()
    run.show(twice)
    run.show(once)
    run.say({"en": f"ledger: {lines}", "zh": f"账本：{lines}"})
    run.data["ledger"] = lines
    run.expect(lines.count("A-2001") == 2, {"en": "record_payment paid order A-2001 twice",
                                            "zh": "record_payment 为订单 A-2001 付了两次款"})
    run.expect(lines.count("A-2002") == 1, {"en": "record_payment_once paid A-2002 once, despite the retry",
                                            "zh": "尽管重试了，record_payment_once 只为 A-2002 付了一次款"})
