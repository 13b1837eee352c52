"""What `python runner.py lesson 1` plays. Each step's body is shown to the learner as it runs."""
import time

from classroom.player.scenario import Scenario

from . import tasks

scenario = Scenario()


@scenario.step(
    title={"en": "delay() sends a task; get() waits for its result",
           "zh": "delay() 发送任务；get() 等待结果"},
    explain={"en": "delay(2, 3) only puts a message on the broker and returns an AsyncResult at once; "
                   "a worker runs add and stores 5 in the result backend, where get() finds it.",
             "zh": "delay(2, 3) 只是把一条消息放进消息代理，并立即返回 AsyncResult；"
                   "worker 执行 add，把 5 存进结果后端，get() 从那里取到它。"},
)
def delay_and_get(run):
    result = tasks.add.delay(2, 3)           # returns at once
    value = run.get(result)                  # result.get(timeout=5), bounded
    run.show(result)
    run.expect(value == 5, {"en": "add(2, 3) returned 5", "zh": "add(2, 3) 返回了 5"})


@scenario.step(
    title={"en": "apply_async(args, countdown=0.3): run it 0.3 seconds from now",
           "zh": "apply_async(args, countdown=0.3)：0.3 秒后再执行"},
    explain={"en": "apply_async is delay with options. countdown=0.3 (seconds) makes the worker hold the "
                   "task until then; meanwhile ready() is False. eta= does the same with a moment: give it an "
                   "aware datetime (datetime.now(timezone.utc) + ...); a naive one is read as UTC.",
             "zh": "apply_async 就是带选项的 delay。countdown=0.3（秒）让 worker 把任务保留到那时；"
                   "在此之前 ready() 为 False。eta= 用具体时刻达到同样效果：请传带时区的 datetime"
                   "（datetime.now(timezone.utc) + ...）；不带时区的会被当作 UTC。"},
)
def countdown(run):
    sent = time.monotonic()
    result = tasks.multiply.apply_async((6, 7), countdown=0.3)
    run.expect(not result.ready(), {"en": "ready() is False right after sending",
                                    "zh": "刚发送后 ready() 为 False"})
    value = run.get(result)
    waited = time.monotonic() - sent
    run.show(result)
    run.expect(value == 42, {"en": "multiply(6, 7) returned 42", "zh": "multiply(6, 7) 返回了 42"})
    run.expect(waited >= 0.3, {"en": f"the result came after {waited:.2f} s (countdown 0.3 s)",
                               "zh": f"结果在 {waited:.2f} 秒后到达（倒计时 0.3 秒）"})


@scenario.step(
    title={"en": "States: PENDING → STARTED → SUCCESS", "zh": "状态：PENDING → STARTED → SUCCESS"},
    explain={"en": "PENDING means 'unknown yet'. STARTED is only recorded because task_track_started=True "
                   "in classroom/celeryconfig.py. ready() turns True at SUCCESS or FAILURE.",
             "zh": "PENDING 的意思是“暂时未知”。只有设置了 task_track_started=True（见 classroom/celeryconfig.py）"
                   "才会记录 STARTED。到 SUCCESS 或 FAILURE 时 ready() 才变为 True。"},
)
def states(run):
    # countdown=0.2 holds the task a moment, so that PENDING can be seen before a worker starts it
    result = tasks.slow_add.apply_async((1, 2), {"seconds": 0.2}, countdown=0.2)
    seen = []
    run.poll(result, until=lambda state, info: state in ("SUCCESS", "FAILURE"),
             on_change=lambda state, info: seen.append(state))
    run.show(result)
    run.say(" → ".join(seen))
    run.expect(seen[0] == "PENDING" and seen[-1] == "SUCCESS",
               {"en": "first PENDING, last SUCCESS", "zh": "先是 PENDING，最后是 SUCCESS"})
    run.expect("STARTED" in seen, {"en": "STARTED was seen in between", "zh": "中间出现了 STARTED"})


@scenario.step(
    title={"en": "AsyncResult(id): look a result up later, by its id",
           "zh": "AsyncResult(id)：之后凭 id 查询结果"},
    explain={"en": "Only the id needs to be kept (in a database, a URL, a session). Any process with the "
                   "same app and result backend can ask for the state and result again.",
             "zh": "只需要保存 id（存在数据库、URL 或会话里）。任何使用相同 app 和结果后端的进程，"
                   "都可以再次查询状态和结果。"},
)
def lookup_by_id(run):
    task_id = tasks.add.delay(20, 22).id
    again = tasks.app.AsyncResult(task_id)   # e.g. in another request, another process
    value = run.get(again)
    run.show(again)
    run.expect(value == 42 and again.state == "SUCCESS",
               {"en": "AsyncResult(id) gave state SUCCESS and result 42",
                "zh": "AsyncResult(id) 得到了状态 SUCCESS 和结果 42"})


@scenario.step(
    title={"en": "Calling a task directly runs it here, not on a worker",
           "zh": "直接调用任务会在当前进程里运行，而不是在 worker 上"},
    explain={"en": "whoami() is a plain function call in this process: no message, no worker, no id. "
                   "whoami.delay() goes through the broker and a worker runs it.",
             "zh": "whoami() 只是当前进程里的普通函数调用：没有消息、没有 worker、也没有 id。"
                   "whoami.delay() 则经过消息代理，由 worker 执行。"},
)
def direct_call(run):
    here = tasks.whoami()                    # runs in this process, right now
    result = tasks.whoami.delay()            # runs on a worker
    there = run.get(result)
    shown = run.show(result)
    run.say(f"whoami()       -> {here}")
    run.say(f"whoami.delay() -> {there}")
    run.expect(here.startswith("called directly"), {"en": "the direct call did not go to a worker",
                                                    "zh": "直接调用没有交给 worker"})
    run.expect(there.startswith("run by a worker") and shown.worker in run.workers,
               {"en": "delay() ran on the lesson's worker", "zh": "delay() 在本课的 worker 上运行"})


@scenario.step(
    title={"en": "A task that raises: FAILURE, get() re-raises, propagate=False, traceback",
           "zh": "抛出异常的任务：FAILURE、get() 重新抛出、propagate=False、traceback"},
    explain={"en": "The worker catches the exception and stores it with its traceback; the task is FAILURE. "
                   "get() raises the same exception type here; get(propagate=False) returns it instead.",
             "zh": "worker 捕获异常，并连同 traceback 一起保存；任务状态为 FAILURE。"
                   "get() 会在这里抛出同类型的异常；get(propagate=False) 则把异常作为返回值。"},
)
def failure(run):
    result = tasks.divide.delay(1, 0)
    try:
        run.get(result)
        raised = None
    except ZeroDivisionError as exc:         # the worker's exception, rebuilt here
        raised = exc
    returned = run.get(result, propagate=False)
    run.show(result)
    run.say(result.traceback.strip().splitlines()[-1])
    run.expect(isinstance(raised, ZeroDivisionError), {"en": "get() raised ZeroDivisionError",
                                                       "zh": "get() 抛出了 ZeroDivisionError"})
    run.expect(isinstance(returned, ZeroDivisionError) and result.state == "FAILURE",
               {"en": "get(propagate=False) returned it; the state is FAILURE",
                "zh": "get(propagate=False) 返回了该异常；状态为 FAILURE"})
