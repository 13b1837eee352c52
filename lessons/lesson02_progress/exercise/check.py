"""Checks for exercise 2: python runner.py check 2"""
from classroom.practice.checks import Checker

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
