"""What `python runner.py lesson 2` plays. Each step's body is shown to the learner as it runs."""
from celery import Celery, states
from celery.backends.redis import RedisBackend
from celery.backends.rpc import RPCBackend

from classroom.errors import WaitTimeout
from classroom.player.scenario import Scenario

from . import tasks

scenario = Scenario()

# When each built-in state is written to the result backend (shown in step 2).
STORED_WHEN = {
    "PENDING": {"en": "never stored: what any unknown id reads", "zh": "从不存储：任何未知 id 读到的都是它"},
    "RECEIVED": {"en": "an event only (task-received), never in the result backend",
                 "zh": "只是一个事件（task-received），从不写入结果后端"},
    "STARTED": {"en": "only with task_track_started=True (or track_started=True on the task)",
                "zh": "只有设置 task_track_started=True（或任务上的 track_started=True）时才存储"},
    "SUCCESS": {"en": "when the task returns", "zh": "任务正常返回时"},
    "FAILURE": {"en": "when the task raises", "zh": "任务抛出异常时"},
    "RETRY": {"en": "when the task calls self.retry() (lesson 5)", "zh": "任务调用 self.retry() 时（第 5 课）"},
    "REVOKED": {"en": "when the task is revoked (celery control revoke)", "zh": "任务被撤销时（celery control revoke）"},
}
RPC_STORES_NOTHING = {
    "en": "rpc:// sends each result as a message to the caller; nothing is stored, so nothing expires. "
          "python runner.py lesson 2 --broker redis shows the TTL",
    "zh": "rpc:// 把每个结果作为消息发回给调用方，什么都不存储，也就无所谓过期。"
          "python runner.py lesson 2 --broker redis 可以看到 TTL",
}
MEMORY_NO_TTL = {
    "en": "the memory cache backend keeps results until the process exits (no TTL); "
          "python runner.py lesson 2 --broker redis shows the real TTL",
    "zh": "内存缓存后端把结果一直保留到进程退出（没有 TTL）；python runner.py lesson 2 --broker redis 可以看到真实的 TTL",
}


ORDER = ["PENDING", "STARTED", "PROGRESS", "SUCCESS"]


def in_order(seen) -> bool:
    """True when the states seen never go back in PENDING → STARTED → PROGRESS → SUCCESS."""
    ranks = [ORDER.index(state) for state in seen]
    return ranks == sorted(ranks)


def collapse(seen):
    """PENDING, STARTED, PROGRESS, PROGRESS, SUCCESS -> ['PENDING', 'STARTED', 'PROGRESS ×2', 'SUCCESS']."""
    out = []
    for state in seen:
        if out and out[-1][0] == state:
            out[-1][1] += 1
        else:
            out.append([state, 1])
    return [state if n == 1 else f"{state} ×{n}" for state, n in out]


@scenario.step(
    title={"en": "update_state(PROGRESS): a live progress bar from the task's own meta",
           "zh": "update_state(PROGRESS)：由任务自己的 meta 驱动的实时进度条"},
    explain={"en": "bind=True gives the task self; self.update_state(state='PROGRESS', meta={...}) stores that "
                   "state and meta in the result backend. The client only polls result.state and result.info "
                   "(bounded), so the bar moves exactly as far as the worker has reported.",
             "zh": "bind=True 让任务拿到 self；self.update_state(state='PROGRESS', meta={...}) 把状态和 meta "
                   "存进结果后端。客户端只是（有时限地）轮询 result.state 和 result.info，"
                   "所以进度条走到哪里，完全取决于 worker 报告到了哪里。"},
)
def progress_bar(run):
    result = tasks.long_job.delay(total=10, step_seconds=0.1)
    seen = run.progress(result)   # poll .state/.info, draw the bar
    run.show(result)
    run.data.update(states=[state for state, _ in seen], result=result.result,
                    currents=[info["current"] for state, info in seen if state == "PROGRESS"])
    run.say(" → ".join(collapse(run.data["states"])))
    run.say({"en": f"meta['current'] seen: {run.data['currents']}",
             "zh": f"看到的 meta['current']：{run.data['currents']}"})
    run.expect(in_order(run.data["states"]) and {"STARTED", "PROGRESS", "SUCCESS"} <= set(run.data["states"]),
               {"en": "PENDING → STARTED → PROGRESS … → SUCCESS, in that order"
                      + ("" if run.data["states"][0] == "PENDING" else " (PENDING ended before the first poll)"),
                "zh": "PENDING → STARTED → PROGRESS … → SUCCESS，顺序正确"
                      + ("" if run.data["states"][0] == "PENDING" else "（第一次轮询之前 PENDING 就已结束）")})
    run.expect(len(run.data["currents"]) >= 5 and run.data["currents"] == sorted(set(run.data["currents"])),
               {"en": f"{len(run.data['currents'])} PROGRESS updates seen, each one higher",
                "zh": f"看到 {len(run.data['currents'])} 次 PROGRESS 更新，一次比一次高"})
    run.expect(result.result == {"current": 10, "total": 10, "status": "done"},
               {"en": "the return value is the final meta: 10/10", "zh": "返回值就是最终的 meta：10/10"})


@scenario.step(
    title={"en": "Every built-in state, and which ones need a setting",
           "zh": "所有内置状态，以及哪些需要配置才会出现"},
    explain={"en": "quiet_job has track_started=False, so it jumps from PENDING to SUCCESS: STARTED is only "
                   "stored when task_track_started is on (classroom/celeryconfig.py turns it on for the course).",
             "zh": "quiet_job 设置了 track_started=False，所以它从 PENDING 直接跳到 SUCCESS：只有开启 "
                   "task_track_started 才会存储 STARTED（本课程在 classroom/celeryconfig.py 里开启了它）。"},
)
def built_in_states(run):
    result = tasks.quiet_job.delay(seconds=0.3)
    seen = []
    run.poll(result, until=lambda state, info: result.ready(),
             on_change=lambda state, info: seen.append(state))
    run.show(result)
    every_state = sorted(states.ALL_STATES)
    ready_states = sorted(states.READY_STATES)
    run.data.update(states=seen, all_states=every_state)
    run.say(f"quiet_job: {' → '.join(seen)}")
    for name in every_state:
        run.say({lang: f"{name:<9} {text}" for lang, text in STORED_WHEN[name].items()})
    run.say({"en": f"READY_STATES = {ready_states}: ready() is True only in these",
             "zh": f"READY_STATES = {ready_states}：只有处于这些状态时 ready() 才为 True"})
    run.expect(seen == ["PENDING", "SUCCESS"], {"en": "no STARTED without track_started",
                                                 "zh": "没有 track_started 就没有 STARTED"})
    run.expect(set(every_state) == set(STORED_WHEN), {"en": "celery.states.ALL_STATES has these 7 states",
                                                      "zh": "celery.states.ALL_STATES 正是这 7 个状态"})


@scenario.step(
    title={"en": "A custom state: any name, any meta", "zh": "自定义状态：任意名字，任意 meta"},
    explain={"en": "update_state(state='RESIZING', meta={...}) works like PROGRESS: Celery stores any string. "
                   "A custom state is not a ready state, so ready() stays False until SUCCESS or FAILURE.",
             "zh": "update_state(state='RESIZING', meta={...}) 和 PROGRESS 一样：Celery 接受任意字符串作为状态。"
                   "自定义状态不属于就绪状态，所以直到 SUCCESS 或 FAILURE 之前 ready() 都是 False。"},
)
def custom_state(run):
    result = tasks.resize_image.delay("cat.jpg", seconds=0.3)
    seen = []
    run.poll(result, until=lambda state, info: result.ready(),
             on_change=lambda state, info: seen.append((state, info, result.ready())))
    value = run.get(result)
    run.show(result)
    run.data.update(states=[state for state, _, _ in seen],
                    resizing=[(info, ready) for state, info, ready in seen if state == "RESIZING"])
    for state, info, ready in seen:
        run.say(f"{state:<9} info={info!r}  ready()={ready}")
    run.expect(run.data["resizing"][:1] == [({"image": "cat.jpg", "width": 1024}, False)],
               {"en": "RESIZING was seen with its meta, and ready() was False then",
                "zh": "看到了 RESIZING 及其 meta，当时 ready() 为 False"})
    run.expect(value == {"image": "cat.jpg", "width": 256}, {"en": "then SUCCESS with the return value",
                                                             "zh": "然后是带返回值的 SUCCESS"})


@scenario.step(
    title={"en": "The classic pitfall: ignore_result=True means PENDING forever",
           "zh": "经典陷阱：ignore_result=True 意味着永远 PENDING"},
    explain={"en": "The worker ran send_welcome_email (its events say so) but stored nothing. The result from "
                   "delay() knows this (ignored=True, get() returns None at once); anyone else holding only the id "
                   "reads PENDING forever. Only a timeout ends the wait, so always pass one.",
             "zh": "worker 执行了 send_welcome_email（它发出的事件可以证明），但什么也没存。delay() 返回的结果对象"
                   "知道这一点（ignored=True，get() 立即返回 None）；而只拿着 id 的其他人会永远读到 PENDING。"
                   "只有超时才能结束这种等待，所以一定要传 timeout。"},
)
def ignore_result_pitfall(run):
    sent = tasks.send_welcome_email.delay(42)
    nothing = run.get(sent)           # None at once: sent.ignored
    later = tasks.app.AsyncResult(sent.id)      # only the id is kept
    try:
        run.get(later, timeout=1.5)   # Celery raises TimeoutError
        diagnosis = None
    except WaitTimeout as exc:        # ... the runner also says why
        diagnosis = exc
    shown = run.show(later)
    run.data.update(ignored=sent.ignored, got=nothing, state=later.state, worker=shown.worker,
                    diagnosis=diagnosis.key if diagnosis else None)
    run.say(diagnosis.message() if diagnosis else "")
    run.expect(sent.ignored and nothing is None, {"en": "sent.ignored is True and get() returned None",
                                                  "zh": "sent.ignored 为 True，get() 返回 None"})
    run.expect(later.state == "PENDING" and shown.worker in run.workers,
               {"en": f"{shown.worker} ran it, yet AsyncResult(id).state is PENDING",
                "zh": f"{shown.worker} 执行了它，但 AsyncResult(id).state 仍是 PENDING"})
    run.expect(diagnosis is not None and diagnosis.key == "wait.result_not_stored",
               {"en": "the bounded wait ended after 1.5 s with 'result never stored'",
                "zh": "有时限的等待在 1.5 秒后结束，诊断为“结果从未被存储”"})


@scenario.step(
    title={"en": "No result backend at all: an error, not a result",
           "zh": "完全没有结果后端：得到的是错误，而不是结果"},
    explain={"en": "An app created without backend= (and no result_backend setting) cannot read any state: "
                   "Celery raises NotImplementedError at once. Sending still works; only results are missing.",
             "zh": "创建 app 时没有传 backend=（也没有配置 result_backend），就无法读取任何状态："
                   "Celery 会立即抛出 NotImplementedError。发送任务仍然可以，只是拿不到结果。"},
)
def no_backend(run):
    app = Celery("no_backend", broker=tasks.app.conf.broker_url,
                 set_as_current=False)          # no backend=, no result_backend
    result = app.AsyncResult("any-task-id")
    try:
        run.get(result, timeout=1)
        error = None
    except NotImplementedError as exc:
        error = exc
    run.data.update(backend=app.conf.result_backend, error=str(error))
    run.say(f"result_backend = {app.conf.result_backend!r}")
    run.say(f"get(): {type(error).__name__}: {' '.join(str(error).split())}")
    run.expect(isinstance(error, NotImplementedError) and "No result backend" in str(error),
               {"en": "get() raised NotImplementedError at once: No result backend is configured",
                "zh": "get() 立即抛出 NotImplementedError：No result backend is configured"})


@scenario.step(
    title={"en": "result_expires: results do not live forever", "zh": "result_expires：结果不会永久保存"},
    explain={"en": "result_expires (default 1 day; 3600 s here) is how long a backend keeps a result. Redis sets it "
                   "as a TTL on the key; database backends rely on the celery.backend_cleanup task run by beat. "
                   "After that the id reads PENDING again, exactly like after result.forget().",
             "zh": "result_expires（默认 1 天；这里是 3600 秒）决定结果后端保存结果多久。Redis 把它设为键的 TTL；"
                   "数据库类后端则依赖由 beat 定时运行的 celery.backend_cleanup 任务。"
                   "过期之后，这个 id 又会读到 PENDING，和调用 result.forget() 之后完全一样。"},
)
def result_expires(run):
    result = tasks.long_job.delay(total=2, step_seconds=0.01)
    run.get(result)
    backend = result.backend
    if isinstance(backend, RPCBackend):
        run.skip(RPC_STORES_NOTHING)
    expires = tasks.app.conf.result_expires     # 3600 s here
    if isinstance(backend, RedisBackend):       # a TTL on the key
        ttl = backend.client.ttl(backend.get_key_for_task(result.id))
    else:
        ttl = None
    before = result.state
    result.forget()                 # what expiry does: delete it
    after = tasks.app.AsyncResult(result.id).state
    run.data.update(expires=expires, ttl=ttl, before=before, after=after, backend=type(backend).__name__)
    run.say(f"result_expires = {expires} s; backend = {type(backend).__name__}")
    run.say({"en": f"TTL of the result key in Redis: {ttl} s", "zh": f"Redis 中结果键的 TTL：{ttl} 秒"}
            if ttl is not None else MEMORY_NO_TTL)
    run.say({"en": f"state before forget(): {before}, after: {after}",
             "zh": f"forget() 之前的状态：{before}，之后：{after}"})
    if ttl is not None:             # memory mode has no TTL to show: it says so above instead
        run.expect(0 < ttl <= expires, {"en": f"the TTL ({ttl} s) is at most result_expires ({expires} s)",
                                        "zh": f"TTL（{ttl} 秒）不超过 result_expires（{expires} 秒）"})
    run.expect(before == "SUCCESS" and after == "PENDING",
               {"en": "SUCCESS before, PENDING once the stored result is gone",
                "zh": "之前是 SUCCESS，存储的结果消失后变回 PENDING"})
