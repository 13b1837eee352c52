"""What `python runner.py lesson 3` plays. Each step's body is shown to the learner as it runs."""
from classroom.errors import WaitTimeout
from classroom.player.scenario import Scenario
from classroom.runtime import waits
from classroom.runtime.tracking import EVENT_SLACK_S

from . import tasks

scenario = Scenario()


def ran_on(runs, name_part: str) -> set:
    """The workers that ran the tasks whose name contains `name_part` (runs: name, worker, start, end)."""
    return {worker for name, worker, _, _ in runs if name_part in name}




def overlaps(runs, name_part: str) -> int:
    """How many of those task runs overlapped another one in time (a sign of parallel work)."""
    spans = [(start, end) for name, _, start, end in runs if name_part in name and start and end]
    return sum(any(a < d - EVENT_SLACK_S and c < b - EVENT_SLACK_S for j, (c, d) in enumerate(spans) if j != i)
               for i, (a, b) in enumerate(spans))


@scenario.step(
    title={"en": "task_routes: where each task goes, by name and by glob",
           "zh": "task_routes：每个任务去往哪里，按名称和按通配符"},
    explain={"en": "Nothing is sent yet: app.amqp.router applies task_routes the way delay() will. make_thumbnail "
                   "matches its exact name, both report_* tasks match the glob '*.report_*', where_am_i matches "
                   "nothing and falls back to task_default_queue ('celery'). apply_async(queue=...) beats them all.",
             "zh": "这一步还没有发送任何任务：app.amqp.router 按照 delay() 将来的方式应用 task_routes。"
                   "make_thumbnail 匹配它的完整名称，两个 report_* 任务匹配通配符 '*.report_*'，where_am_i "
                   "什么也不匹配，于是落到 task_default_queue（'celery'）。apply_async(queue=...) 的优先级最高。"},
)
def routes(run):
    router = tasks.app.amqp.router
    chosen = {}
    for task in (tasks.make_thumbnail, tasks.report_daily, tasks.report_monthly, tasks.where_am_i):
        chosen[task.name] = router.route({}, task.name)["queue"]     # as delay() does
    forced = router.route({"queue": "slow_queue"}, tasks.make_thumbnail.name)["queue"]
    for name, queue in chosen.items():
        run.say(f"{name:<46} -> queue={queue.name:<10} exchange={queue.exchange.name or '(default)'}")
    run.say(f"{'make_thumbnail.apply_async(queue=slow_queue)':<46} -> queue={forced.name}")
    run.data.update(routes={name.rsplit(".", 1)[-1]: queue.name for name, queue in chosen.items()},
                    forced=forced.name)
    run.expect(run.data["routes"]["make_thumbnail"] == "fast_queue",
               {"en": "by name: make_thumbnail -> fast_queue", "zh": "按名称：make_thumbnail -> fast_queue"})
    run.expect(run.data["routes"]["report_daily"] == run.data["routes"]["report_monthly"] == "slow_queue",
               {"en": "by glob: report_daily, report_monthly -> slow_queue",
                "zh": "按通配符：report_daily、report_monthly -> slow_queue"})
    run.expect(run.data["routes"]["where_am_i"] == "celery" and forced.name == "slow_queue",
               {"en": "no route -> 'celery'; queue= overrides the routes",
                "zh": "没有路由 -> 'celery'；queue= 会覆盖路由"})


@scenario.step(
    title={"en": "Who consumes what: inspect active_queues", "zh": "谁在消费哪个队列：inspect active_queues"},
    explain={"en": "Each worker was started with -Q: fast@ consumes only fast_queue, slow@ only slow_queue. "
                   "Nobody consumes 'celery' in this lesson. The same question from a shell: "
                   "celery -A lessons.lesson03_routing.tasks inspect active_queues",
             "zh": "每个 worker 启动时都带了 -Q：fast@ 只消费 fast_queue，slow@ 只消费 slow_queue。"
                   "本课里没有人消费 'celery'。在命令行里问同样的问题："
                   "celery -A lessons.lesson03_routing.tasks inspect active_queues"},
)
def active_queues(run):
    replies = waits.inspect(tasks.app, "active_queues", destination=run.workers)   # bounded
    consumed = {worker: sorted(q["name"] for q in queues) for worker, queues in replies.items()}
    run.data.update(consumed=consumed)
    for worker, names in sorted(consumed.items()):
        run.say({"en": f"{worker:<24} consumes {names}", "zh": f"{worker:<24} 消费 {names}"})
    run.expect(consumed.get(run.workers[0]) == ["fast_queue"] and consumed.get(run.workers[1]) == ["slow_queue"],
               {"en": f"{run.workers[0]} -> fast_queue, {run.workers[1]} -> slow_queue",
                "zh": f"{run.workers[0]} -> fast_queue，{run.workers[1]} -> slow_queue"})


@scenario.step(
    title={"en": "Two workers, two queues: the timeline shows who ran what",
           "zh": "两个 worker，两个队列：时间线显示谁执行了什么"},
    explain={"en": "The thumbnails went to fast_queue and only fast@ (2 processes) ran them, two at a time. The "
                   "reports went to slow_queue and slow@ (1 process) ran them one after another, in parallel with "
                   "the thumbnails. Routing keeps slow work from delaying quick work.",
             "zh": "缩略图进入 fast_queue，只有 fast@（2 个进程）执行它们，一次两个。报表进入 slow_queue，"
                   "slow@（1 个进程）一个接一个地执行，同时缩略图也在并行处理。路由让慢任务不会拖慢快任务。"},
)
def two_workers(run):
    results = [tasks.report_daily.delay("mon"), tasks.make_thumbnail.delay(1),
               tasks.make_thumbnail.delay(2), tasks.report_monthly.delay("june"),
               tasks.make_thumbnail.delay(3), tasks.make_thumbnail.delay(4),
               tasks.report_daily.delay("tue")]
    values = [run.get(r) for r in results]
    for r in results:
        run.show(r)
    run.timeline(results, {"en": "one row per pool process (#1, #2: a worker's concurrency slots)",
                           "zh": "每个池进程一行（#1、#2：一个 worker 的并发槽位）"})
    run.data.update(values=values, runs=[(rec.name.rsplit(".", 1)[-1], rec.hostname, rec.started, rec.ended)
                                         for rec in run.records(results)])
    run.data.update(thumb_overlaps=overlaps(run.data["runs"], "make_thumbnail"),
                    report_overlaps=overlaps(run.data["runs"], "report_"))
    run.expect(ran_on(run.data["runs"], "make_thumbnail") == {run.workers[0]},
               {"en": f"every thumbnail ran on {run.workers[0]}", "zh": f"所有缩略图都在 {run.workers[0]} 上执行"})
    run.expect(ran_on(run.data["runs"], "report_") == {run.workers[1]},
               {"en": f"every report ran on {run.workers[1]}", "zh": f"所有报表都在 {run.workers[1]} 上执行"})
    run.expect(run.data["report_overlaps"] == 0 and run.data["thumb_overlaps"] >= 2,
               {"en": "reports ran one after another; thumbnails overlapped",
                "zh": "报表一个接一个地执行；缩略图有重叠（并行）"})


@scenario.step(
    title={"en": "apply_async(queue=...): choose the queue per call", "zh": "apply_async(queue=...)：每次调用时指定队列"},
    explain={"en": "where_am_i has no route, so it would go to 'celery', which nobody consumes here. With queue= "
                   "the caller decides. The task reads self.request.delivery_info to say how it was delivered.",
             "zh": "where_am_i 没有路由，本来会进入没人消费的 'celery'。用 queue= 就由调用方决定。"
                   "任务通过 self.request.delivery_info 说明自己是怎样被投递过来的。"},
)
def queue_per_call(run):
    to_slow = tasks.where_am_i.apply_async(queue="slow_queue")
    to_fast = tasks.where_am_i.apply_async(queue="fast_queue")
    run.get(to_slow), run.get(to_fast)
    slow_row = run.show(to_slow)
    fast_row = run.show(to_fast)
    run.data.update(slow=(slow_row.worker, slow_row.result), fast=(fast_row.worker, fast_row.result))
    run.expect(slow_row.worker == run.workers[1] and fast_row.worker == run.workers[0],
               {"en": "each call ran on the worker of the queue it named",
                "zh": "每次调用都在它指定的队列对应的 worker 上执行"})
    run.expect(slow_row.result == "slow_queue" and fast_row.result == "fast_queue",
               {"en": "delivery_info['routing_key'] names that queue", "zh": "delivery_info['routing_key'] 就是那个队列"})


@scenario.step(
    title={"en": "A queue nobody consumes: the message waits, the client times out",
           "zh": "没人消费的队列：消息一直等着，客户端等待超时"},
    explain={"en": "task_create_missing_queues (on by default) created nobody_queue silently, so the send succeeded. "
                   "The broker holds the message until a worker with -Q nobody_queue starts; the client only sees "
                   "PENDING. The bounded wait asks the workers (inspect active_queues) and names the cause. "
                   "The step then purges the queue (celery -A ... purge -Q nobody_queue does the same).",
             "zh": "task_create_missing_queues（默认开启）悄悄创建了 nobody_queue，所以发送是成功的。消息代理会一直"
                   "保存这条消息，直到有一个带 -Q nobody_queue 的 worker 启动；客户端只能看到 PENDING。"
                   "有时限的等待会询问各个 worker（inspect active_queues），并指出原因。随后这一步清空了这个队列"
                   "（celery -A ... purge -Q nobody_queue 效果相同）。"},
)
def nobody_consumes(run):
    result = tasks.make_thumbnail.apply_async((7,), queue="nobody_queue")
    try:
        run.get(result, timeout=1.0)
        diagnosis = None
    except WaitTimeout as exc:
        diagnosis = exc
    queue = tasks.app.amqp.queues["nobody_queue"]   # made on the fly by apply_async
    with tasks.app.connection_for_write() as conn:
        bound = queue.bind(conn.default_channel)
        _, waiting, consumers = bound.queue_declare()  # declaring an existing queue returns its counts
        purged = bound.purge()
        bound.delete()
    run.show(result)
    run.say({"en": f"the broker says: nobody_queue holds {waiting} message(s), {consumers} consumer(s)",
             "zh": f"消息代理显示：nobody_queue 中有 {waiting} 条消息，{consumers} 个消费者"})
    run.say(diagnosis.message() if diagnosis else "")
    run.data.update(waiting=waiting, consumers=consumers, purged=purged, state=result.state,
                    diagnosis=diagnosis.key if diagnosis else None)
    run.expect(waiting == 1 and consumers == 0 and result.state == "PENDING",
               {"en": "1 message waiting, 0 consumers, the task PENDING", "zh": "1 条消息在等待，0 个消费者，任务为 PENDING"})
    run.expect(diagnosis is not None and diagnosis.key == "wait.no_consumer",
               {"en": "the 1 s wait ended with 'no worker consumes nobody_queue'",
                "zh": "1 秒的等待结束，诊断为“没有 worker 消费 nobody_queue”"})
    run.expect(purged == 1, {"en": "purged: the queue is empty again", "zh": "已清空：队列又是空的了"})
