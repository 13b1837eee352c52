"""Checks for exercise 15: python runner.py check 15 (real workers; check 3 kills a pool process)."""
import os
import signal
import time

from classroom.lessonkit import Checker, bounded, bounds, inspect, wait_until

checker = Checker()
BROKERS = ("redis", "rabbitmq")
KILL = {"en": "The checker kills a worker's pool process with kill -9; in memory mode the worker is a thread of "
              "the checker itself. Run it on real processes: python runner.py check 15 --broker redis",
        "zh": "检查程序要用 kill -9 杀掉 worker 的池进程；内存模式下 worker 是检查程序自己的一个线程。"
              "请在真实的进程上运行：python runner.py check 15 --broker redis"}
LOST_S = 12.0     # a dead pool process is noticed within about 5 s, then the task runs again (1.5 s)


@checker.check({"en": "healthy(hostname) is True for the running worker, False for one that does not exist, "
                      "within 2 s", "zh": "healthy(hostname) 对正在运行的 worker 返回 True，对不存在的 worker "
                                          "在 2 秒内返回 False"})
def health_check(ctx):
    host = ctx.workers[0]
    alive = ctx.client("healthy", host)
    began = time.monotonic()
    absent = ctx.client("healthy", "nobody@nowhere")
    waited = time.monotonic() - began
    ctx.data.update(alive=alive, absent=absent, waited_s=round(waited, 2))
    ctx.expect(alive is True, {"en": f"healthy({host!r}) to be True: that worker answers a ping",
                               "zh": f"healthy({host!r}) 为 True：那个 worker 会回应 ping"},
               {"en": f"it returned {alive!r}", "zh": f"它返回了 {alive!r}"})
    ctx.expect(absent is False, {"en": "healthy('nobody@nowhere') to be False: no such worker answers",
                                 "zh": "healthy('nobody@nowhere') 为 False：没有这样的 worker 会回应"},
               {"en": f"it returned {absent!r}: a check that never asks the worker cannot tell",
                "zh": f"它返回了 {absent!r}：从不询问 worker 的检查分辨不出来"})
    ctx.expect(waited < 4.0, {"en": "the answer within about 2 s, as a bounded health check must",
                              "zh": "在大约 2 秒内给出答案，有时限的健康检查就该如此"},
               {"en": f"it took {waited:.1f} s", "zh": f"它用了 {waited:.1f} 秒"})


@checker.check({"en": "kill -9 of export_report's pool process: it runs again to SUCCESS",
                "zh": "kill -9 杀掉 export_report 的池进程：它再次运行直到 SUCCESS"},
               modes=BROKERS, unsupported=KILL)
def survives_a_kill(ctx):
    host = ctx.workers[0]
    result = ctx.send("export_report", "q3", 1.5)
    pids = []

    def running() -> bool:
        active = inspect(ctx.app, "active", bounds.INSPECT_S, destination=[host]).get(host) or []
        pids[:] = [t["worker_pid"] for t in active if t["id"] == result.id]
        return bool(pids)

    if not wait_until(running, 5.0, 0.05):
        ctx.fail({"en": "export_report to start on the worker", "zh": "export_report 在 worker 上开始运行"},
                 {"en": "it did not start within 5 s", "zh": "它在 5 秒内没有开始"})
    os.kill(pids[0], signal.SIGKILL)          # the pool process running it, as the grace period's end would
    out = ctx.outcome(result, "export_report('q3', 1.5)", timeout=LOST_S)
    ctx.data.update(state=out.state, error=out.error)
    ctx.expect(out.state == "SUCCESS" and out.value == "reports/q3.pdf",
               {"en": "SUCCESS after a second run, 'reports/q3.pdf'", "zh": "第二次运行后 SUCCESS，返回 'reports/q3.pdf'"},
               {"en": out.said(), "zh": out.said()})


@checker.explain({"en": "explain: NOBODY_ANSWERED is what app.control.ping returns when no worker answered",
                  "zh": "解释：NOBODY_ANSWERED 是没有 worker 回应时 app.control.ping 的返回值"})
def nobody_answered(ctx):
    answer = getattr(ctx.module, "NOBODY_ANSWERED", None)
    real = bounded(lambda: ctx.app.control.ping(destination=["nobody@nowhere"], timeout=0.5), 5.0)
    ctx.data.update(answer=repr(answer), real=repr(real))
    ctx.expect(answer == real and type(answer) is type(real),
               {"en": f"NOBODY_ANSWERED to be {real!r}, what ping really returned for a made-up hostname",
                "zh": f"NOBODY_ANSWERED 等于 {real!r}，也就是对编造的主机名 ping 真正返回的值"},
               {"en": f"you answered {answer!r}", "zh": f"你的回答是 {answer!r}"})


@checker.stretch({"en": "stretch: healthy_all([worker, 'nobody@nowhere']) answers both with one ping, in ~2 s",
                  "zh": "附加挑战：healthy_all([worker, 'nobody@nowhere']) 用一次 ping 回答两者，约 2 秒"})
def one_ping_for_all(ctx):
    host = ctx.workers[0]
    began = time.monotonic()
    answer = ctx.client("healthy_all", [host, "nobody@nowhere"])
    waited = time.monotonic() - began
    ctx.data.update(answer=answer, waited_s=round(waited, 2))
    ctx.expect(answer == {host: True, "nobody@nowhere": False} and waited < 4.0,
               {"en": f"{{{host!r}: True, 'nobody@nowhere': False}} within about 2 s",
                "zh": f"约 2 秒内得到 {{{host!r}: True, 'nobody@nowhere': False}}"},
               {"en": f"it returned {answer!r} after {waited:.1f} s", "zh": f"它在 {waited:.1f} 秒后返回了 {answer!r}"})
