"""What `python runner.py lesson 6` plays. Each step's body is shown to the learner as it runs."""
from classroom.player.scenario import Scenario
from classroom.runtime.tracking import tracker

from . import tasks

scenario = Scenario()


def measured(run, results) -> dict:
    """Start times the workers reported (task-started events): gaps overall and per worker."""
    tracker.settle([r.id for r in results], 1.0)
    recs = sorted((tracker.tasks[r.id] for r in results if r.id in tracker.tasks and tracker.tasks[r.id].started),
                  key=lambda rec: rec.started)
    starts = [rec.started for rec in recs]
    per_worker: dict[str, list[float]] = {}
    for rec in recs:
        per_worker.setdefault(rec.hostname, []).append(rec.started)
    # The mean gap is what the limit governs; one start can lag a little (a busy machine), the next not.
    mean_gap = {host: round((ts[-1] - ts[0]) / (len(ts) - 1), 3) for host, ts in per_worker.items() if len(ts) > 1}
    span = starts[-1] - starts[0] if starts else 0.0
    facts = {"count": len(starts), "span_s": round(span, 3), "gaps_s": [round(b - a, 3) for a, b in zip(starts, starts[1:])],
             "mean_gap_s": round(span / max(len(starts) - 1, 1), 3),
             "per_worker": {host: len(ts) for host, ts in per_worker.items()}, "worker_mean_gap_s": mean_gap}
    run.say({"en": f"{len(starts)} starts in {span:.2f} s; per worker: {facts['per_worker']}",
             "zh": f"{len(starts)} 次启动用了 {span:.2f} 秒；各 worker：{facts['per_worker']}"})
    return facts


@scenario.step(
    title={"en": "rate_limit='5/s': a burst of 10 starts 0.2 s apart",
           "zh": "rate_limit='5/s'：连发 10 个，每隔 0.2 秒才启动一个"},
    explain={"en": "The worker keeps a token bucket per task type: one token every 1/5 s. Messages that arrive "
                   "early wait in the worker (unacknowledged) until a token is free. The unlimited burst "
                   "only waits for a free process.",
             "zh": "worker 为每种任务维护一个令牌桶：每 1/5 秒补充一个令牌。提前到达的消息在 worker 里"
                   "等待（尚未确认），直到有空闲令牌。不限速的那组只需等待空闲的进程。"},
)
def burst(run):
    fast = [tasks.unlimited.delay(i) for i in range(10)]      # a burst of 10, no limit
    [run.get(r) for r in fast]
    slow = [tasks.limited.delay(i) for i in range(10)]        # the same burst, limited to 5/s
    values = [run.get(r) for r in slow]
    run.timeline(fast + slow, {"en": "unlimited, then limited to 5/s",
                                               "zh": "先不限速，再限速 5/s"})
    free, capped = measured(run, fast), measured(run, slow)
    run.data.update(unlimited=free, limited=capped)
    run.expect(values == list(range(10)), {"en": "all 10 limited tasks returned", "zh": "10 个限速任务全部返回"})
    run.expect(capped["mean_gap_s"] >= 0.18,
               {"en": f"limited starts were {capped['mean_gap_s']:.3f} s apart on average (limit: 0.2 s)",
                "zh": f"限速任务平均每隔 {capped['mean_gap_s']:.3f} 秒启动一个（限速：0.2 秒）"})
    run.expect(capped["span_s"] >= 1.6 and free["span_s"] < capped["span_s"] / 2,
               {"en": f"10 limited starts took {capped['span_s']:.2f} s (≈ 9 × 0.2 s); unlimited {free['span_s']:.2f} s",
                "zh": f"10 个限速任务的启动用了 {capped['span_s']:.2f} 秒（约 9 × 0.2 秒）；不限速的用了 {free['span_s']:.2f} 秒"})


@scenario.step(
    title={"en": "task_annotations: a limit from configuration ('4/s')",
           "zh": "task_annotations：在配置里设置限速（'4/s'）"},
    explain={"en": "task_annotations sets attributes on tasks by name when the app loads, in every process "
                   "(worker and client). Handy for limiting a task from another package without editing it.",
             "zh": "task_annotations 在 app 加载时按任务名给任务设置属性，在每个进程里（worker 和客户端）都生效。"
                   "想给别的包里的任务限速又不想改它的代码时，这很方便。"},
)
def annotations(run):
    run.say(f"annotated.rate_limit = {tasks.annotated.rate_limit!r}")
    burst = [tasks.annotated.delay(i) for i in range(5)]
    [run.get(r) for r in burst]
    run.timeline(burst, {"en": "annotated, 4/s", "zh": "annotated，4/s"})
    facts = measured(run, burst)
    run.data.update(annotated=facts, rate_limit=tasks.annotated.rate_limit)
    run.expect(tasks.annotated.rate_limit == "4/s", {"en": "the annotation set rate_limit='4/s'",
                                                     "zh": "注解设置了 rate_limit='4/s'"})
    run.expect(facts["mean_gap_s"] >= 0.23,
               {"en": f"starts {facts['mean_gap_s']:.3f} s apart on average (4/s: 0.25 s), 5 in {facts['span_s']:.2f} s",
                "zh": f"平均每隔 {facts['mean_gap_s']:.3f} 秒启动一个（4/s：0.25 秒），5 个用了 {facts['span_s']:.2f} 秒"})


@scenario.step(
    title={"en": "app.control.rate_limit: change the limit on running workers",
           "zh": "app.control.rate_limit：修改正在运行的 worker 的限速"},
    explain={"en": "A remote-control command: every worker that gets it replaces its token bucket, no restart. "
                   "It lasts until the worker restarts. limit=N stops waiting for replies after N answers.",
             "zh": "这是一条远程控制命令：收到它的每个 worker 都会替换自己的令牌桶，无需重启。"
                   "它只在 worker 重启前有效。limit=N 表示收到 N 个答复后就不再等待。"},
)
def change_at_run_time(run):
    replies = tasks.app.control.rate_limit(tasks.limited.name, "10/s",
                                           reply=True, timeout=2, limit=len(run.workers))
    burst = [tasks.limited.delay(i) for i in range(10)]
    [run.get(r) for r in burst]
    tasks.app.control.rate_limit(tasks.limited.name, "5/s",              # put it back
                                 reply=True, timeout=2, limit=len(run.workers))
    run.say(str(replies))
    run.timeline(burst, {"en": "limited, changed to 10/s", "zh": "limited，改为 10/s"})
    facts = measured(run, burst)
    run.data.update(changed=facts, replies=replies)
    run.expect(len(replies) == len(run.workers), {"en": f"{len(replies)} worker(s) answered",
                                                  "zh": f"{len(replies)} 个 worker 作了答复"})
    run.expect(0.7 <= facts["span_s"] < 1.4, {"en": f"10 starts in {facts['span_s']:.2f} s (≈ 9 × 0.1 s, not 1.8 s)",
                                               "zh": f"10 次启动用了 {facts['span_s']:.2f} 秒（约 9 × 0.1 秒，而不是 1.8 秒）"})


@scenario.step(
    title={"en": "Per worker, not global: two workers run the same burst twice as fast",
           "zh": "按 worker 计算，而非全局：两个 worker 处理同一组任务，速度翻倍"},
    explain={"en": "Each worker has its own bucket, so N workers allow N × 5/s. Celery has no global limit: "
                   "send the task to one dedicated worker, divide the limit by the number of workers, "
                   "or share a counter (e.g. in Redis) that the task checks before it works.",
             "zh": "每个 worker 都有自己的令牌桶，所以 N 个 worker 合起来是 N × 5/s。Celery 没有全局限速："
                   "可以把任务交给唯一一个专用 worker，或把限额除以 worker 数量，"
                   "或让任务在干活前检查一个共享计数器（比如放在 Redis 里）。"},
)
def per_worker(run):
    burst = [tasks.limited.apply_async((i,), queue="shared") for i in range(10)]
    [run.get(r) for r in burst]
    run.timeline(burst, {"en": "limited to 5/s, queue 'shared', two workers",
                               "zh": "限速 5/s，队列 'shared'，两个 worker"})
    facts = measured(run, burst)
    run.data.update(shared=facts)
    run.expect(len(facts["per_worker"]) == 2, {"en": "both workers ran some of the burst",
                                               "zh": "两个 worker 都处理了一部分任务"})
    run.expect(all(gap >= 0.18 for gap in facts["worker_mean_gap_s"].values()),
               {"en": f"each worker still kept 0.2 s between its own starts: {facts['worker_mean_gap_s']}",
                "zh": f"每个 worker 自己的启动间隔仍然约为 0.2 秒：{facts['worker_mean_gap_s']}"})
    run.expect(facts["span_s"] < 1.4, {"en": f"10 starts in {facts['span_s']:.2f} s, instead of about 1.8 s with one worker",
                                       "zh": f"10 次启动用了 {facts['span_s']:.2f} 秒，而一个 worker 大约要 1.8 秒"})
