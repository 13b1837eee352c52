"""Checks for exercise 12: python runner.py check 12 (one worker)."""
import json

from kombu import Queue

from classroom.lessonkit import Checker, bounded, bounds, task_run, wait_until

checker = Checker()


@checker.check({"en": "notify runs on the worker and stores no result (ignore_result)",
                "zh": "notify 在 worker 上执行，而且不存储结果（ignore_result）"})
def no_result(ctx):
    result = ctx.send("notify", "ada")
    wait_until(lambda: task_run(result, settle_s=0).ended, bounds.EXERCISE_RESULT_S, 0.02)
    record = task_run(result, settle_s=0)
    state = ctx.app.AsyncResult(result.id).state
    ctx.data.update(ran=bool(record and record.ended), state=state)
    ctx.expect(bool(record and record.ended) and state == "PENDING",
               {"en": "the worker to run notify and the backend to know nothing of it (PENDING)",
                "zh": "worker 执行了 notify，而后端对它一无所知（PENDING）"},
               {"en": f"ran: {bool(record and record.ended)}, state in the backend: {state}",
                "zh": f"是否执行：{bool(record and record.ended)}，后端里的状态：{state}"})


@checker.check({"en": "pack travels as msgpack and the worker accepts it; pickle stays refused",
                "zh": "pack 用 msgpack 传输且 worker 接受它；pickle 仍被拒收"})
def msgpack_accepted(ctx):
    task = ctx.task("pack")
    accepted = list(ctx.app.conf.accept_content)
    ctx.expect(task.serializer == "msgpack", {"en": "pack.serializer == 'msgpack'", "zh": "pack.serializer == 'msgpack'"},
               {"en": f"pack.serializer is {task.serializer!r}", "zh": f"pack.serializer 是 {task.serializer!r}"})
    ctx.expect("pickle" not in accepted and "application/x-python-serialize" not in accepted,
               {"en": "accept_content without pickle", "zh": "accept_content 里没有 pickle"},
               {"en": f"accept_content is {accepted}", "zh": f"accept_content 是 {accepted}"})
    ctx.expect_value(ctx.call("pack", {"b": 1, "a": 2}), ["a", "b"])


@checker.explain({"en": "BODY_OF_ADD is the body the broker really holds for add.delay(2, 3)",
                  "zh": "BODY_OF_ADD 就是 add.delay(2, 3) 在消息代理里真正的 body"})
def body_of_add(ctx):
    answer = getattr(ctx.module, "BODY_OF_ADD", None)
    ctx.send("add", 2, 3, queue="ex12-wire")                # a queue no worker consumes
    with ctx.app.connection_for_read() as conn:
        queue = Queue("ex12-wire").bind(conn.default_channel)
        message = bounded(lambda: queue.get(no_ack=True), bounds.EXERCISE_RESULT_S)
        queue.delete()
    body = json.loads(message.body) if message else None
    ctx.data.update(answer=answer, body=body)
    ctx.expect(answer == body, {"en": f"BODY_OF_ADD == {body!r}", "zh": f"BODY_OF_ADD == {body!r}"},
               {"en": f"BODY_OF_ADD is {answer!r}", "zh": f"BODY_OF_ADD 是 {answer!r}"})


@checker.stretch({"en": "stretch: square_all(range(1000)) returns the squares in at most 10 messages",
                  "zh": "附加挑战：square_all(range(1000)) 最多用 10 条消息返回所有平方"})
def in_chunks(ctx):
    before = ctx.known_tasks()
    values = ctx.client("square_all", range(1000))
    sent = [run for run in (task_run(i, settle_s=0) for i in ctx.known_tasks() - before) if run.sent]
    ctx.data.update(messages=len(sent))
    ctx.expect(values == [n * n for n in range(1000)] and len(sent) <= 10,
               {"en": "the 1000 squares, from at most 10 task messages", "zh": "1000 个平方，最多来自 10 条任务消息"},
               {"en": f"{len(sent)} messages sent; squares right: {values == [n * n for n in range(1000)]}",
                "zh": f"发送了 {len(sent)} 条消息；平方是否正确：{values == [n * n for n in range(1000)]}"})
