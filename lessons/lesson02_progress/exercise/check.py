"""Checks for exercise 2: python runner.py check 2"""
import time

from classroom.lessonkit import Checker, task_run

checker = Checker()


@checker.check({"en": "while count_to(5) runs, its state is PROGRESS with meta current/total, counting up",
                "zh": "count_to(5) 运行期间，状态为 PROGRESS，meta 中的 current/total 不断增加"})
def reports_progress(ctx):
    result = ctx.send("count_to", 5, kwargs={"pause": 0.1})
    seen = []
    ctx.poll(result, lambda state, info: seen.append((state, info if isinstance(info, dict) else None)))
    ctx.data["states"] = [state for state, _ in seen]
    progress = [info for state, info in seen if state == "PROGRESS" and info]
    currents = [info.get("current") for info in progress]
    states = " → ".join(state for state, _ in seen)
    ctx.expect(len(progress) >= 2 and all(info.get("total") == 5 for info in progress) and currents == sorted(currents),
               {"en": "at least two PROGRESS states with meta {'current': 1..5, 'total': 5}, current counting up",
                "zh": "至少两次 PROGRESS 状态，meta 为 {'current': 1..5, 'total': 5}，current 递增"},
               {"en": f"the states the result backend showed: {states}; PROGRESS metas: {progress}",
                "zh": f"结果后端中出现的状态：{states}；PROGRESS 的 meta：{progress}"})


@checker.check({"en": "count_to(3) ends in SUCCESS with {'current': 3, 'total': 3, 'status': 'done'}",
                "zh": "count_to(3) 以 SUCCESS 结束，结果为 {'current': 3, 'total': 3, 'status': 'done'}"})
def final_result(ctx):
    ctx.expect_value(ctx.call("count_to", 3, pause=0.05), {"current": 3, "total": 3, "status": "done"})


@checker.explain({"en": "QUIET_STATE is the state a client really sees for quiet() after it ran (ignore_result)",
                  "zh": "QUIET_STATE 就是 quiet()（ignore_result）运行完之后客户端真正看到的状态"})
def ignored_result(ctx):
    answer = getattr(ctx.module, "QUIET_STATE", None)
    result = ctx.send("quiet")
    ran = task_run(result, settle_s=5)
    ctx.expect(ran.state == "SUCCESS",
               {"en": "the worker to run quiet() to the end", "zh": "worker 把 quiet() 运行完"},
               {"en": "no worker reported it finished within 5 s", "zh": "5 秒内没有 worker 报告它已完成"})
    time.sleep(0.2)
    real = ctx.app.AsyncResult(result.id).state
    ctx.data.update(answer=answer, real=real)
    ctx.expect(answer == real,
               {"en": f"QUIET_STATE to be what the result backend shows once quiet() has finished ({real!r})",
                "zh": f"QUIET_STATE 等于 quiet() 完成之后结果后端显示的状态（{real!r}）"},
               {"en": f"QUIET_STATE is {answer!r}; the worker finished quiet() and the backend said {real!r}",
                "zh": f"QUIET_STATE 是 {answer!r}；worker 已完成 quiet()，结果后端给出的是 {real!r}"})


@checker.stretch({"en": "stretch: percent(id) climbs from 0 to 100 while count_to(4) runs",
                  "zh": "附加挑战：count_to(4) 运行期间，percent(id) 从 0 增加到 100"})
def percent_bar(ctx):
    result = ctx.send("count_to", 4, kwargs={"pause": 0.15})
    seen = []
    deadline = time.monotonic() + 5
    while not result.ready() and time.monotonic() < deadline:
        seen.append(ctx.client("percent", result.id))
        time.sleep(0.05)
    ctx.value(result, "count_to(4)")
    seen.append(ctx.client("percent", result.id))
    ctx.data["percents"] = seen
    ok = (all(isinstance(p, int) and 0 <= p <= 100 for p in seen) and seen == sorted(seen)
          and any(0 < p < 100 for p in seen) and seen[-1] == 100)
    ctx.expect(ok, {"en": "whole numbers 0..100 that never go down, some in between, and 100 at the end",
                    "zh": "0..100 的整数，从不减少，中间有过渡值，最后是 100"},
               {"en": f"percent(id) gave {sorted(set(seen), key=seen.index)}",
                "zh": f"percent(id) 给出了 {sorted(set(seen), key=seen.index)}"})
