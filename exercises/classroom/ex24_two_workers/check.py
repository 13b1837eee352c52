"""Checks for exercise 24: python runner.py check 24 (two workers, w1 and w2, concurrency 1 each)."""
from collections import Counter

from classroom.practice.checks import Checker

checker = Checker()
N = 8


@checker.check({"en": "work(7) returns {'i': 7, 'worker': <the worker's name>}",
                "zh": "work(7) 返回 {'i': 7, 'worker': <worker 的名字>}"})
def says_who(ctx):
    outcome = ctx.call("work", 7)
    value = outcome.value if isinstance(outcome.value, dict) else {}
    ctx.expect(value.get("i") == 7 and isinstance(value.get("worker"), str) and value.get("worker"),
               {"en": "a dict with 'i': 7 and 'worker': self.request.hostname", "zh": "一个字典，包含 'i': 7 和 'worker': self.request.hostname"},
               outcome.said())
    if ctx.mode != "memory":   # in memory mode the in-process threads pool reports the machine's name
        ctx.expect(value["worker"] == outcome.worker,
                   {"en": f"'worker' to be the name of the worker that ran it ({outcome.worker})",
                    "zh": f"'worker' 是实际执行它的 worker 的名字（{outcome.worker}）"},
                   {"en": f"it said {value['worker']!r}", "zh": f"它返回的是 {value['worker']!r}"})


@checker.check({"en": f"distribute({N}) sends {N} tasks at once: both workers run some, and the counts add up to {N}",
                "zh": f"distribute({N}) 一次发送 {N} 个任务：两个 worker 都执行了一部分，计数之和为 {N}"})
def both_workers_busy(ctx):
    before = ctx.known_tasks()
    counts = ctx.client("distribute", N)
    real = Counter(r.hostname for r in ctx.new_tasks(before, "work"))    # from the workers' own events
    ctx.data.update(counts=counts, real=dict(real))
    ctx.expect(isinstance(counts, dict) and sum(counts.values()) == N and len(real) == 2,
               {"en": f"a dict of counts per worker adding up to {N}, with both workers busy",
                "zh": f"每个 worker 的计数组成的字典，总和为 {N}，两个 worker 都有活干"},
               {"en": f"distribute({N}) returned {counts!r}; the workers' events say: {dict(real)}",
                "zh": f"distribute({N}) 返回了 {counts!r}；worker 的事件显示：{dict(real)}"})


@checker.check({"en": "your counts match what the workers really did (from their events)",
                "zh": "你的计数与 worker 实际所做的一致（来自它们的事件）"},
               modes=("redis", "rabbitmq"),
               unsupported={"en": "In memory mode both workers are threads of the runner's process, so "
                                  "self.request.hostname is the machine's name, not each worker's. Compare with "
                                  "the real distribution on a real broker: python runner.py check 24 --broker redis",
                            "zh": "在内存模式下，两个 worker 都是 runner 进程里的线程，所以 self.request.hostname "
                                  "是机器名，而不是各个 worker 的名字。请在真实的消息代理上与实际分配情况对比："
                                  "python runner.py check 24 --broker redis"})
def counts_match_events(ctx):
    before = ctx.known_tasks()
    counts = ctx.client("distribute", N)
    real = dict(Counter(r.hostname for r in ctx.new_tasks(before, "work")))
    ctx.data.update(counts=counts, real=real)
    ctx.expect(counts == real, {"en": f"distribute({N}) to return {real!r}", "zh": f"distribute({N}) 返回 {real!r}"},
               {"en": f"it returned {counts!r}", "zh": f"它返回了 {counts!r}"})


@checker.explain({"en": f"explain: out of {N} tasks, about how many does each worker run? (EACH_WORKER_RUNS, compared with the real counts)",
                  "zh": f"解释：{N} 个任务中，每个 worker 大约执行多少个？（EACH_WORKER_RUNS，与实际计数对比）"})
def predicted_share(ctx):
    answer = getattr(ctx.module, "EACH_WORKER_RUNS", None)
    before = ctx.known_tasks()
    results = [ctx.send("work", i) for i in range(N)]          # all sent before the first wait
    for i, result in enumerate(results):
        ctx.outcome(result, f"work({i})")
    real = Counter(r.hostname for r in ctx.new_tasks(before, "work"))
    counts = [real.get(name, 0) for name in ctx.workers] or [0]
    ctx.data.update(answer=answer, real=dict(real))
    # The honest spread: a burst is never split exactly, one more or less than the real counts is fine.
    ok = (isinstance(answer, int) and not isinstance(answer, bool)
          and min(counts) - 1 <= answer <= max(counts) + 1)
    ctx.expect(ok, {"en": f"EACH_WORKER_RUNS to be a whole number close to each worker's real count ({counts})",
                    "zh": f"EACH_WORKER_RUNS 是一个整数，接近每个 worker 的实际计数（{counts}）"},
               {"en": f"you answered {answer!r}; the workers' events say: {dict(real)}",
                "zh": f"你的回答是 {answer!r}；worker 的事件显示：{dict(real)}"})


@checker.stretch({"en": "stretch: live_workers() names exactly the workers that answer a ping",
                  "zh": "挑战：live_workers() 恰好列出回应 ping 的那些 worker"})
def names_live_workers(ctx):
    got = ctx.client("live_workers")
    wanted = sorted(ctx.workers)
    ctx.data.update(got=got, wanted=wanted)
    ctx.expect(isinstance(got, (list, tuple)) and sorted(got) == wanted,
               {"en": f"live_workers() to return {wanted!r}", "zh": f"live_workers() 返回 {wanted!r}"},
               {"en": f"it returned {got!r}", "zh": f"它返回了 {got!r}"})
