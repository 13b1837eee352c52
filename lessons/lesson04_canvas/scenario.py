"""What `python runner.py lesson 4` plays. Each step's body is shown to the learner as it runs."""
from celery import chain, chord, group
from celery.backends.rpc import RPCBackend
from celery.exceptions import ChordError

from classroom.player.scenario import Scenario
from classroom.runtime.tracking import EVENT_SLACK_S

from . import tasks

scenario = Scenario()

NO_CHORDS_ON_RPC = {
    "en": "this run's result backend is rpc://, which cannot run chords: a chord (and group | task) needs a "
          "backend that stores every header result where the callback's trigger can count them. "
          "python runner.py lesson 4 --broker redis shows it",
    "zh": "本次运行的结果后端是 rpc://，它不能运行 chord：chord（以及 group | task）需要一个能保存每个 header "
          "结果、好让触发回调的一方清点数目的结果后端。运行 python runner.py lesson 4 --broker redis 可以看到 chord 的效果",
}


def spans(run, results):
    """(name, start, end) for each task, from the worker's events."""
    return [(rec.name.rsplit(".", 1)[-1], rec.started, rec.ended) for rec in run.records(results) if rec]




def serial(spans_) -> bool:
    """Did each task start only after the previous one (in time) had ended?"""
    ordered = sorted(spans_, key=lambda s: s[1])
    return all(b[1] >= a[2] - EVENT_SLACK_S for a, b in zip(ordered, ordered[1:]))


def parallel(spans_) -> bool:
    """Did every task start before the first one ended?"""
    return max(s[1] for s in spans_) < min(s[2] for s in spans_)


@scenario.step(
    title={"en": "Signatures: .s, partial arguments, .si", "zh": "签名：.s、部分参数、.si"},
    explain={"en": "A signature is a task call wrapped up to be sent later, passed around, or put in a workflow. "
                   "Arguments given when it is called are put in front of the ones it already has: "
                   "sub.s(10).delay(5) runs sub(5, 10). In a chain the previous result is passed the same way, "
                   "unless the signature is immutable (.si).",
             "zh": "签名就是把一次任务调用打包起来，以便稍后发送、到处传递或放进工作流。调用签名时给出的参数会放在"
                   "它已有参数的前面：sub.s(10).delay(5) 执行的是 sub(5, 10)。在 chain 里，上一个结果也以同样的方式"
                   "传入，除非签名是不可变的（.si）。"},
)
def signatures(run):
    full = tasks.add.s(2, 2)            # add(2, 2), not sent yet
    partial = tasks.sub.s(10)           # one argument still missing
    fed = chain(tasks.add.s(2, 2), tasks.add.s(10))     # add(4, 10)
    ignored = chain(tasks.add.s(2, 2), tasks.add.si(10, 10))   # add(10, 10)
    results = [full.delay(), partial.delay(5), fed.delay(), ignored.delay()]
    values = [run.get(r) for r in results]
    run.say(f"repr(full)    = {full!r}")
    run.say(f"repr(partial) = {partial!r}   partial.delay(5) -> {values[1]}")
    run.say(f"add.s(2, 2) | add.s(10)       -> {values[2]}")
    run.say(f"add.s(2, 2) | add.si(10, 10)  -> {values[3]}")
    for r in results:
        run.show(r)
    run.data.update(values=values, immutable=tasks.add.si(1, 1).immutable)
    run.expect(values[:2] == [4, -5], {"en": "add(2, 2) = 4; sub.s(10).delay(5) ran sub(5, 10) = -5",
                                       "zh": "add(2, 2) = 4；sub.s(10).delay(5) 执行的是 sub(5, 10) = -5"})
    run.expect(values[2:] == [14, 20], {"en": ".s received the previous result (14); .si ignored it (20)",
                                        "zh": ".s 收到了上一个结果（14）；.si 忽略了它（20）"})


@scenario.step(
    title={"en": "group: in parallel, results in order", "zh": "group：并行执行，结果按顺序排列"},
    explain={"en": "A group sends all its tasks at once; the worker's 4 processes run them side by side. The "
                   "slowest (square(1)) was sent first and finished last, yet GroupResult.get() lists the results "
                   "in the order of the group, not in the order they finished.",
             "zh": "group 一次性发出所有任务；worker 的 4 个进程同时执行它们。最慢的 square(1) 最先发出、最后完成，"
                   "但 GroupResult.get() 给出的结果顺序是 group 中的顺序，而不是完成的顺序。"},
)
def group_parallel(run):
    job = group(tasks.square.s(i, seconds=0.2 * (5 - i)) for i in range(1, 5))
    result = job.apply_async()          # a GroupResult
    values = run.get(result)
    for r in result.results:
        run.show(r)
    run.timeline(result.results, {"en": "group: 4 tasks side by side", "zh": "group：4 个任务并排执行"})
    run.data.update(values=values, spans=spans(run, result.results))
    run.data.update(finish_order=[v for v, span in sorted(zip(values, run.data["spans"]), key=lambda p: p[1][2])])
    run.expect(values == [1, 4, 9, 16], {"en": "results in group order: [1, 4, 9, 16]",
                                         "zh": "结果按 group 顺序排列：[1, 4, 9, 16]"})
    run.expect(run.data["finish_order"] == [16, 9, 4, 1], {"en": "yet they finished in reverse order",
                                                           "zh": "但它们是按相反顺序完成的"})
    run.expect(parallel(run.data["spans"]), {"en": "all four started before the first one ended",
                                             "zh": "四个任务都在第一个结束之前就开始了"})


@scenario.step(
    title={"en": "chain: one after another, each result feeds the next", "zh": "chain：依次执行，每个结果传给下一个"},
    explain={"en": "add(2, 2) = 4 is passed to mul.s(4) as its first argument: mul(4, 4) = 16, then add(16, 1) = 17. "
                   "The worker sends the next task only when the previous one has finished, so they cannot overlap. "
                   "The chain's result is the last task's; .parent walks back.",
             "zh": "add(2, 2) = 4 作为第一个参数传给 mul.s(4)：mul(4, 4) = 16，然后 add(16, 1) = 17。"
                   "worker 只有在上一个任务完成后才发送下一个，所以它们不可能重叠。"
                   "chain 的结果就是最后一个任务的结果；通过 .parent 可以往回找。"},
)
def chain_serial(run):
    workflow = tasks.add.s(2, 2) | tasks.mul.s(4) | tasks.add.s(1)    # = chain(...)
    result = workflow.apply_async()
    value = run.get(result)
    steps = [result.parent.parent, result.parent, result]
    for r in steps:
        run.show(r)
    run.timeline(steps, {"en": "chain: each task waits for the one before", "zh": "chain：每个任务都等待前一个"})
    run.data.update(value=value, values=[r.result for r in steps], spans=spans(run, steps))
    run.expect(value == 17 and run.data["values"] == [4, 16, 17], {"en": "4 -> 16 -> 17", "zh": "4 -> 16 -> 17"})
    run.expect(serial(run.data["spans"]), {"en": "each task started after the previous one ended",
                                           "zh": "每个任务都在前一个结束之后才开始"})


@scenario.step(
    title={"en": "chord: a group, then one callback with all the results",
           "zh": "chord：先执行一个 group，再用全部结果调用一次回调"},
    explain={"en": "The header runs in parallel; when the last header task is stored, the callback xsum is sent "
                   "with the list [1, 4, 9, 16]. Counting finished header tasks needs a result backend (Redis "
                   "counts them atomically; database backends poll with celery.chord_unlock); without one Celery "
                   "refuses: "
                   "'Starting chords requires a result backend'.",
             "zh": "header 并行执行；最后一个 header 任务的结果存好后，回调 xsum 会带着列表 [1, 4, 9, 16] 被发送。"
                   "统计已完成的 header 任务需要结果后端（Redis 原子地计数；数据库类后端用 celery.chord_unlock 轮询）；"
                   "没有结果后端时 Celery 会拒绝：'Starting chords requires a result backend'。"},
)
def chord_callback(run):
    if isinstance(tasks.app.backend, RPCBackend):
        run.skip(NO_CHORDS_ON_RPC)
    header = [tasks.square.s(i, seconds=0.2) for i in range(1, 5)]
    result = chord(header)(tasks.xsum.s())      # the callback's AsyncResult
    value = run.get(result)
    members = result.parent.results              # the header's results
    for r in members + [result]:
        run.show(r)
    run.timeline(members + [result], {"en": "chord: header in parallel, then the callback",
                                      "zh": "chord：header 并行执行，然后是回调"})
    run.data.update(value=value, header=spans(run, members), callback=spans(run, [result]))
    run.expect(value == 30, {"en": "xsum([1, 4, 9, 16]) = 30", "zh": "xsum([1, 4, 9, 16]) = 30"})
    run.expect(parallel(run.data["header"])
               and run.data["callback"][0][1] >= max(e for _, _, e in run.data["header"]) - EVENT_SLACK_S,
               {"en": "the header ran in parallel; the callback started after the last header task ended",
                "zh": "header 并行执行；回调在最后一个 header 任务结束之后才开始"})


@scenario.step(
    title={"en": "chunks and starmap, briefly", "zh": "chunks 与 starmap 简介"},
    explain={"en": "starmap sends ONE task (celery.starmap) that calls add for every pair, in a loop on the worker. "
                   "chunks splits the pairs into blocks of 2: a group of 3 celery.starmap tasks, each returning a "
                   "list. Both save messages when each call is tiny.",
             "zh": "starmap 只发送一个任务（celery.starmap），由 worker 在循环里对每一对参数调用 add。chunks 把参数对"
                   "每 2 个分成一块：得到一个包含 3 个 celery.starmap 任务的 group，每个任务返回一个列表。"
                   "当单次调用很小时，两者都能节省消息。"},
)
def chunks_starmap(run):
    pairs = [(1, 2), (3, 4), (5, 6)]
    one_task = tasks.add.starmap(pairs).delay()
    three_tasks = tasks.add.chunks(zip(range(6), range(6)), 2).apply_async()
    starmapped, chunked = run.get(one_task), run.get(three_tasks)
    run.show(one_task)
    for r in three_tasks.results:
        run.show(r)
    run.data.update(starmap=starmapped, chunks=chunked, chunk_tasks=len(three_tasks.results))
    run.expect(starmapped == [3, 7, 11], {"en": "starmap: 1 task -> [3, 7, 11]", "zh": "starmap：1 个任务 -> [3, 7, 11]"})
    run.expect(chunked == [[0, 2], [4, 6], [8, 10]] and len(three_tasks.results) == 3,
               {"en": "chunks: 3 tasks -> [[0, 2], [4, 6], [8, 10]]", "zh": "chunks：3 个任务 -> [[0, 2], [4, 6], [8, 10]]"})


@scenario.step(
    title={"en": "The original tutorial's workflow: group(chain(...) per batch) | combine | notify",
           "zh": "原教程中的工作流：group(每批一个 chain) | combine | notify"},
    explain={"en": "Three chains run side by side (process, then validate, per batch); group | task becomes a chord, "
                   "so combine_results gets the three validated batches at once, and send_notification gets its "
                   "summary. The tree is what was built; the timeline is what the worker really did.",
             "zh": "三个 chain 并排执行（每批先 process 再 validate）；group | task 会变成 chord，所以 combine_results "
                   "一次拿到三个校验后的批次，send_notification 再拿到它的汇总。树是构建出来的工作流；"
                   "时间线是 worker 实际的执行情况。"},
)
def seed_workflow(run):
    if isinstance(tasks.app.backend, RPCBackend):
        run.skip(NO_CHORDS_ON_RPC)
    workflow = (
        group(chain(tasks.process_data.s(f"batch_{i}"), tasks.validate_data.s()) for i in range(3))
        | tasks.combine_results.s()
        | tasks.send_notification.s()
    )
    run.tree(workflow)
    result = workflow.apply_async()
    message = run.get(result)
    for r in run.step_tasks():
        run.show(r)
    run.say({"en": f"result: {message!r}", "zh": f"结果：{message!r}"})
    run.timeline(run.step_tasks(), {"en": "three chains in parallel, then combine, then notify",
                                    "zh": "三个 chain 并行，然后 combine，然后 notify"})
    run.data.update(message=message, spans=spans(run, run.step_tasks()))
    run.expect(message == "report ready: 600 rows from 3 batches",
               {"en": "100 + 200 + 300 rows from 3 batches", "zh": "3 个批次共 100 + 200 + 300 行"})
    run.expect(len(run.data["spans"]) == 8, {"en": "8 tasks ran: 3 x (process, validate), combine, notify",
                                             "zh": "共执行了 8 个任务：3 x (process, validate)、combine、notify"})
    run.expect(parallel([s for s in run.data["spans"] if s[0] == "process_data"])
               and serial([s for s in run.data["spans"] if s[0] in ("combine_results", "send_notification")]),
               {"en": "the batches were processed in parallel; combine and notify ran after, in order",
                "zh": "各批次并行处理；combine 和 notify 随后依次执行"})


@scenario.step(
    title={"en": "An error in a chord header: what the callback and the client see",
           "zh": "chord header 中出错：回调和客户端看到了什么"},
    explain={"en": "root(-1) fails, so the callback can never get a complete list: Celery does not run xsum at all; "
                   "it stores FAILURE for it, with a ChordError that carries the header's error. The client's get() "
                   "first looks at the result's parents (on every backend): it raises the header's own ValueError if "
                   "that failure is already known, else that ChordError; which one depends on timing. The other header tasks still succeeded and keep their results.",
             "zh": "root(-1) 失败了，回调永远拿不到完整的列表：Celery 根本不会运行 xsum，而是为它存储 FAILURE，"
                   "并附上一个携带 header 错误的 ChordError。客户端的 get() 会先检查结果的父任务（所有后端都如此）："
                   "如果那时已知 header 失败，就抛出 header 自己的 ValueError，否则抛出那个 ChordError；取决于时机。"
                   "其他 header 任务依然成功，结果也都保留着。"},
)
def chord_error(run):
    if isinstance(tasks.app.backend, RPCBackend):
        run.skip(NO_CHORDS_ON_RPC)
    result = chord([tasks.root.s(16), tasks.root.s(-1), tasks.root.s(9)])(tasks.xsum.s())
    try:
        run.get(result)
        raised = None
    except Exception as exc:            # what the client sees
        raised = exc
    members = result.parent.results
    for r in members + [result]:
        run.show(r)
    run.say({"en": f"get() raised {type(raised).__name__}: {raised}",
             "zh": f"get() 抛出了 {type(raised).__name__}：{raised}"})
    run.say(f"callback xsum: state={result.state}, result={result.result!r}")
    run.data.update(raised=type(raised).__name__, message=str(raised), callback_state=result.state,
                    header_states=[r.state for r in members],
                    callback_error=type(result.result).__name__,
                    callback_started=bool(run.records([result], 0.3)[0] and run.records([result], 0)[0].started))
    run.expect(run.data["header_states"] == ["SUCCESS", "FAILURE", "SUCCESS"],
               {"en": "header: SUCCESS, FAILURE (root(-1)), SUCCESS", "zh": "header：SUCCESS、FAILURE（root(-1)）、SUCCESS"})
    run.expect(result.state == "FAILURE" and isinstance(result.result, ChordError) and not run.data["callback_started"],
               {"en": "the callback is FAILURE (ChordError) and never started on a worker",
                "zh": "回调是 FAILURE（ChordError），而且从未在 worker 上开始执行"})
    run.expect(isinstance(raised, (ChordError, ValueError)),
               {"en": f"the client's get() raised {type(raised).__name__}", "zh": f"客户端的 get() 抛出了 {type(raised).__name__}"})
