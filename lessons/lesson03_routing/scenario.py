"""What `python runner.py lesson 3` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file."""
from classroom.lessonkit import Scenario, WaitTimeout

from . import tasks

scenario = Scenario()


@scenario.step()
def routes(run):
    router = tasks.app.amqp.router
    chosen = {}
    for task in (tasks.make_thumbnail, tasks.report_daily, tasks.report_monthly, tasks.where_am_i):
        chosen[task.name] = router.route({}, task.name)["queue"]     # as delay() does
    forced = router.route({"queue": "slow_queue"}, tasks.make_thumbnail.name)["queue"]
    for name, queue in chosen.items():
        run.echo(f"{name:<46} -> queue={queue.name:<10} exchange={queue.exchange.name or '(default)'}")
    run.echo(f"{'make_thumbnail.apply_async(queue=slow_queue)':<46} -> queue={forced.name}")
    run.data.update(routes={name.rsplit(".", 1)[-1]: queue.name for name, queue in chosen.items()},
                    forced=forced.name)
    run.expect(run.data["routes"]["make_thumbnail"] == "fast_queue", "by_name")
    run.expect(run.data["routes"]["report_daily"] == run.data["routes"]["report_monthly"] == "slow_queue",
               "by_glob")
    run.expect(run.data["routes"]["where_am_i"] == "celery" and forced.name == "slow_queue", "default_and_override")


@scenario.step()
def active_queues(run):
    replies = run.inspect("active_queues")     # celery inspect active_queues
    consumed = {worker: sorted(q["name"] for q in queues or []) for worker, queues in replies.items()}
    run.data.update(consumed=consumed)
    for worker, names in sorted(consumed.items()):
        run.say("consumes", worker=worker, names=names)
    run.expect(consumed == {"fast": ["fast_queue"], "slow": ["slow_queue"]}, "each_its_queue")


@scenario.step()
def two_workers(run):
    results = [tasks.report_daily.delay("mon"), tasks.make_thumbnail.delay(1),
               tasks.make_thumbnail.delay(2), tasks.report_monthly.delay("june"),
               tasks.make_thumbnail.delay(3), tasks.make_thumbnail.delay(4),
               tasks.report_daily.delay("tue")]
    values = [run.get(r) for r in results]
    for r in results:
        run.show(r)
    run.timeline(results, "lanes")
    run.state["thumbnails"] = run.tasks(results).named("make_thumbnail")     # the workers' events
    run.state["reports"] = run.tasks(results).named("report_daily", "report_monthly")
    run.data.update(values=values, runs=[(r.name, r.worker, r.started, r.ended) for r in run.tasks(results)],
                    thumb_overlaps=run.state["thumbnails"].overlaps(),
                    report_overlaps=run.state["reports"].overlaps())
    run.expect(run.state["thumbnails"].workers() == ["fast"], "thumbnails_on", worker="fast")
    run.expect(run.state["reports"].workers() == ["slow"], "reports_on", worker="slow")
    run.expect(run.state["reports"].one_after_another() and run.data["thumb_overlaps"] >= 2,
               "serial_and_parallel", overlaps=run.data["thumb_overlaps"])


@scenario.step()
def queue_per_call(run):
    to_slow = tasks.where_am_i.apply_async(queue="slow_queue")
    to_fast = tasks.where_am_i.apply_async(queue="fast_queue")
    slow_key, fast_key = run.get(to_slow), run.get(to_fast)
    run.show(to_slow)
    run.show(to_fast)
    run.data.update(slow=(run.task(to_slow).worker, slow_key), fast=(run.task(to_fast).worker, fast_key))
    run.expect(run.data["slow"][0] == "slow" and run.data["fast"][0] == "fast", "ran_where_named")
    run.expect(slow_key == "slow_queue" and fast_key == "fast_queue", "routing_key_names_it")


@scenario.step()
def nobody_consumes(run):
    result = tasks.make_thumbnail.apply_async((7,), queue="nobody_queue")
    try:
        run.get(result, timeout=1.0)
        diagnosis = None
    except WaitTimeout as exc:
        diagnosis = exc
    run.data.update(waiting=run.queue_depth("nobody_queue").ready,      # the broker's own count
                    consumers=[worker for worker, queues in run.inspect("active_queues").items()
                               if "nobody_queue" in {q["name"] for q in queues or []}])
    queue = tasks.app.amqp.queues["nobody_queue"]   # made on the fly by apply_async
    with tasks.app.connection_for_write() as conn:
        bound = queue.bind(conn.default_channel)
        purged = bound.purge()                      # celery purge -Q nobody_queue
        bound.delete()
    run.show(result)
    run.say("queue_holds", waiting=run.data["waiting"], consumers=len(run.data["consumers"]))
    if diagnosis:
        run.echo(diagnosis.message())
    run.data.update(purged=purged, state=result.state, diagnosis=diagnosis.key if diagnosis else None)
    run.expect(run.data["waiting"] == 1 and not run.data["consumers"] and result.state == "PENDING",
               "waiting_unconsumed")
    run.expect(diagnosis is not None and diagnosis.key == "wait.no_consumer", "no_consumer_named", seconds=1)
    run.expect(purged == 1, "purged")
