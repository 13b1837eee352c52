"""Checks for exercise 16: python runner.py check 16"""
from classroom.lessonkit import Checker

checker = Checker()
PARKED = "ex16-parked"               # no worker consumes it


def published(ctx, task):
    return sum(s.value for m in ctx.module.PUBLISHED.collect() for s in m.samples
               if s.name.endswith("_total") and s.labels.get("task") == task)


@checker.check({"en": "pack(5) logs 'packing order 5' on a line that carries its task id",
                "zh": "pack(5) 记录的 'packing order 5' 那一行带着它的任务 id"})
def line_with_id(ctx):
    result = ctx.send("pack", 5)
    ctx.expect_value(ctx.outcome(result, "pack(5)"), "order 5 packed")
    lines = ctx.run.log("packing order 5", tidy=False)
    ctx.data["lines"] = lines
    ctx.expect(lines and result.id in lines[0],
               {"en": f"a worker log line with 'packing order 5' and the id {result.id}",
                "zh": f"worker 日志里有一行同时带着 'packing order 5' 和 id {result.id}"},
               {"en": f"the line was {lines[0] if lines else 'not found'!r}",
                "zh": f"那一行是 {lines[0] if lines else '（没找到）'!r}"})


@checker.check({"en": "PUBLISHED counts each pack message this process sends",
                "zh": "PUBLISHED 对本进程发出的每条 pack 消息计数"})
def counts_publish(ctx):
    task = ctx.task("pack")
    before = published(ctx, task.name)
    results = [ctx.send(task, n) for n in range(3)]
    [ctx.outcome(r, "pack(n)") for r in results]
    counted = published(ctx, task.name) - before
    ctx.data["counted"] = counted
    ctx.expect(counted == 3, {"en": f"PUBLISHED{{task={task.name!r}}} to grow by 3 after 3 sends",
                              "zh": f"发送 3 次后 PUBLISHED{{task={task.name!r}}} 增加 3"},
               {"en": f"it grew by {counted:g}", "zh": f"它增加了 {counted:g}"})


@checker.check({"en": "queue_length() agrees with the broker: 3 parked messages of priorities 0, 5, 9; 0 for a missing queue",
                "zh": "queue_length() 与消息代理一致：3 条优先级为 0、5、9 的待处理消息；不存在的队列为 0"})
def length(ctx):
    task = ctx.task("pack")
    for priority in (0, 5, 9):
        ctx.send(task, priority, queue=PARKED, priority=priority)
    got, missing = ctx.client("queue_length", PARKED), ctx.client("queue_length", "ex16-nobody")
    broker = ctx.run.queue_depth(PARKED).ready
    ctx.run.delete_queue(PARKED)
    ctx.data.update(got=got, broker=broker, missing=missing)
    ctx.expect(got == broker == 3 and missing == 0,
               {"en": f"queue_length({PARKED!r}) == 3 (the broker says {broker}), queue_length('ex16-nobody') == 0",
                "zh": f"queue_length({PARKED!r}) == 3（消息代理给出 {broker}），queue_length('ex16-nobody') == 0"},
               {"en": f"it returned {got!r} and {missing!r}", "zh": f"它返回了 {got!r} 和 {missing!r}"})


@checker.explain({"en": "RETRY_COUNTED_BY names the process whose before_task_publish counts a retry's message",
                  "zh": "RETRY_COUNTED_BY 写出的是哪个进程的 before_task_publish 为重试的消息计数"},
                 modes=("redis", "rabbitmq"),
                 unsupported={"en": "in memory mode the worker runs in the checker's own process: both messages count here",
                              "zh": "memory 模式下 worker 就在检查程序自己的进程里：两条消息都在这里计数"})
def retry_counted_by(ctx):
    task = ctx.task("reserve")
    before = published(ctx, task.name)
    ctx.expect_value(ctx.outcome(ctx.send(task, "lamp"), "reserve('lamp')"), "lamp reserved")
    here = published(ctx, task.name) - before           # this process sent 1 of the 2 messages
    real = "worker" if here == 1 else "client"
    answer = getattr(ctx.module, "RETRY_COUNTED_BY", None)
    ctx.data.update(here=here, answer=answer)
    ctx.expect(answer == real, {"en": f"RETRY_COUNTED_BY == {real!r}: this process counted {here:g} of 2 messages",
                                "zh": f"RETRY_COUNTED_BY == {real!r}：本进程只计了 2 条消息中的 {here:g} 条"},
               {"en": f"RETRY_COUNTED_BY is {answer!r}", "zh": f"RETRY_COUNTED_BY 是 {answer!r}"})


@checker.stretch({"en": "stretch: queue_lengths([a, b]) gives both lengths over one connection",
                  "zh": "附加挑战：queue_lengths([a, b]) 用一个连接给出两个队列的长度"})
def lengths(ctx):
    task, queues = ctx.task("pack"), ["ex16-parked-a", "ex16-parked-b"]
    for queue, count in zip(queues, (2, 1)):
        for n in range(count):
            ctx.send(task, n, queue=queue)
    got = ctx.client("queue_lengths", queues + ["ex16-nobody"])
    for queue in queues:
        ctx.run.delete_queue(queue)
    ctx.data["got"] = got
    ctx.expect(got == {"ex16-parked-a": 2, "ex16-parked-b": 1, "ex16-nobody": 0},
               {"en": "queue_lengths to return {'ex16-parked-a': 2, 'ex16-parked-b': 1, 'ex16-nobody': 0}",
                "zh": "queue_lengths 返回 {'ex16-parked-a': 2, 'ex16-parked-b': 1, 'ex16-nobody': 0}"},
               {"en": f"it returned {got!r}", "zh": f"它返回了 {got!r}"})
