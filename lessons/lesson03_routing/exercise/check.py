"""Checks for exercise 3: python runner.py check 3 (workers "images": queue images; "default": celery, urgent)."""
import time

from classroom.lessonkit import Checker, task_run

checker = Checker()


def worker_named(ctx, name):
    return next(w for w in ctx.workers if w.startswith(name + "@"))


def queue_of(result):
    return task_run(result, settle_s=0).queue or "?"     # the queue it was sent to


@checker.check({"en": "resize runs on the images worker (queue images); send_email on the default worker",
                "zh": "resize 在 images worker 上运行（队列 images）；send_email 在 default worker 上运行"})
def routed_by_name(ctx):
    images, default = worker_named(ctx, "images"), worker_named(ctx, "default")
    resized = ctx.call("resize", "cat.png", 128)
    ctx.expect_value(resized, "cat.png resized to 128px")
    ctx.data["resize"] = {"worker": resized.worker, "queue": queue_of(ctx.app.AsyncResult(resized.task_id))}
    ctx.expect(resized.worker == images,
               {"en": f"resize to go to the queue 'images', so that {images} runs it",
                "zh": f"resize 进入队列 'images'，由 {images} 执行"},
               {"en": f"it went to the queue {ctx.data['resize']['queue']!r} and {resized.worker} ran it",
                "zh": f"它进入了队列 {ctx.data['resize']['queue']!r}，由 {resized.worker} 执行"})
    emailed = ctx.call("send_email", "ada@example.com")
    ctx.expect(emailed.worker == default,
               {"en": f"send_email to stay on the default queue 'celery' ({default})",
                "zh": f"send_email 留在默认队列 'celery'（{default}）"},
               {"en": f"{emailed.worker} ran it", "zh": f"由 {emailed.worker} 执行"})


@checker.check({"en": "send_urgent(to) puts this one call on the queue urgent",
                "zh": "send_urgent(to) 把这一次调用放进队列 urgent"})
def queue_per_call(ctx):
    result = ctx.client("send_urgent", "boss@example.com")
    outcome = ctx.outcome(result, "send_urgent('boss@example.com')")
    queue = queue_of(result)
    ctx.data["urgent"] = {"worker": outcome.worker, "queue": queue}
    ctx.expect(queue == "urgent" and outcome.worker == worker_named(ctx, "default"),
               {"en": "the message to go to the queue 'urgent' (the default worker consumes it)",
                "zh": "消息进入队列 'urgent'（default worker 会消费它）"},
               {"en": f"it went to the queue {queue!r}; {outcome.worker} ran it",
                "zh": f"它进入了队列 {queue!r}；由 {outcome.worker} 执行"})


@checker.explain({"en": "OVERRIDE_WORKER names the worker that really runs resize sent with queue='celery'",
                  "zh": "OVERRIDE_WORKER 写出的 worker，就是以 queue='celery' 发送的 resize 真正的执行者"})
def option_beats_route(ctx):
    answer = getattr(ctx.module, "OVERRIDE_WORKER", None)
    outcome = ctx.outcome(ctx.send("resize", "dog.png", 64, queue="celery"), "resize('dog.png', 64) queue='celery'")
    real = outcome.worker.split("@", 1)[0]
    ctx.data.update(answer=answer, real=real)
    ctx.expect(answer == real,
               {"en": f"OVERRIDE_WORKER to be {real!r}, the worker that ran it",
                "zh": f"OVERRIDE_WORKER 为 {real!r}，也就是执行它的 worker"},
               {"en": f"OVERRIDE_WORKER is {answer!r}; {outcome.worker} ran it",
                "zh": f"OVERRIDE_WORKER 是 {answer!r}；由 {outcome.worker} 执行"})


@checker.stretch({"en": "stretch: resize_soon(path, width) runs on the images worker, at least 0.3 s later",
                  "zh": "附加挑战：resize_soon(path, width) 在 images worker 上执行，至少 0.3 秒之后"})
def routed_and_delayed(ctx):
    sent = time.monotonic()
    result = ctx.client("resize_soon", "owl.png", 32)
    ctx.expect(hasattr(result, "id"), {"en": "resize_soon to return an AsyncResult", "zh": "resize_soon 返回 AsyncResult"},
               {"en": f"it returned {result!r}", "zh": f"它返回了 {result!r}"})
    outcome = ctx.outcome(result, "resize_soon('owl.png', 32)")
    waited = time.monotonic() - sent
    ctx.data.update(worker=outcome.worker, waited_s=waited)
    ctx.expect_value(outcome, "owl.png resized to 32px")
    ctx.expect(outcome.worker == worker_named(ctx, "images") and waited >= 0.28,
               {"en": "the images worker to run it, 0.3 s after sending", "zh": "由 images worker 在发送 0.3 秒后执行"},
               {"en": f"{outcome.worker} ran it {waited:.2f} s after sending",
                "zh": f"由 {outcome.worker} 在发送 {waited:.2f} 秒后执行"})
