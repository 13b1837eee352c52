"""What `python runner.py lesson 16` plays: each step's body is shown as it runs; its words are in steps.toml."""
import re
import shutil
import time

from classroom.lessonkit import Scenario, short
from prometheus_client import REGISTRY

from . import tasks, tracing, web
from .prom import (JOBS, READY, alerts, grown, metrics_urls, query, rabbitmq_plugin, scrape, start_prometheus,
                   sample, targets_up)

scenario = Scenario()
app = tasks.app


@scenario.step()
def follow_a_task(run):
    result = tasks.charge.delay(7)
    value = run.get(result)
    lines = run.log(result.id, count=3, tidy=False)      # grep <task id> worker*.log
    unmarked = run.log("(plain logger)", tidy=False)
    run.show(result)
    run.echo("\n".join(re.sub(r"^\[[^]]*\] ", "", line) for line in lines + unmarked[:1]))
    mine = [line for line in lines if "charging order 7" in line]
    run.expect(value == "order 7 charged", "charged")
    run.expect(any("received" in line for line in lines) and any("succeeded" in line for line in lines),
               "received_to_succeeded", count=len(lines))
    run.expect(mine and f"task_id={result.id} task={tasks.charge.name}:" in mine[0], "line_has_id")
    run.expect(unmarked and result.id not in unmarked[0], "plain_has_no_id")


@scenario.step(deadline_s=30)
def trace_a_request(run):
    with tracing.instrumented("runner") as provider, web.serve(provider) as url:   # this process traces too
        status, reply = run.http("POST", f"{url}/checkout", form={"order": 7})   # curl -d order=7 .../checkout
        result = tasks.checkout.AsyncResult(reply["task_id"])
        value = run.get(result)
        run.wait_until(lambda: len(tracing.request_trace(result.id, reply["trace_id"])) == 5, 5.0)
        cost = tracing.publish_cost(tasks.noop, provider, "nobody")   # µs per apply_async(): on, off, on...
    run.delete_queue("nobody")
    chain = tracing.summary(tracing.request_trace(result.id, reply["trace_id"]))
    headers = run.log(f"traceparent=00-{reply['trace_id']}", count=2, tidy=False)   # what the task received
    ran = run.task(result)                                            # the task events: worker and pid
    run.echo("\n".join(tracing.tree(chain)) + f"\ntrace_id {reply['trace_id']}")
    run.data.update(trace=chain, cost_us=cost["us"], events_worker=ran.worker)
    run.say("cost", on=cost["us"]["on"], off=cost["us"]["off"], n=cost["n"])
    run.expect(status == 202 and value == "order 7 checked out on retry 1", "served")
    run.expect(len(chain["kinds"]) == 5 and chain["trace_ids"] == [reply["trace_id"]], "one_trace")
    run.expect(chain["kinds"] == ["SERVER", "PRODUCER", "CONSUMER", "PRODUCER", "CONSUMER"], "kinds")
    run.expect(chain["parents_ok"], "parents")
    run.expect(chain["states"][2::2] == ["RETRY", "SUCCESS"] and chain["retries"][4::2] == [1]
               and chain["reason"], "retry_visible", reason=chain["reason"])
    run.expect(len(set(chain["pids"][2:4])) == 1 and chain["pids"][4:] == [ran.pid], "ran_where",
               first=next(iter(chain["pids"][2:3]), "-"), worker=ran.worker, pid=ran.pid)
    run.expect(chain["pids"] and {h.split("@")[0] for h in chain["hostnames"][2::2]} == {f"gen{chain['pids'][0]}"},
               "hostname_is_sender", hostname=next(iter(chain["hostnames"][2:3]), "-"))
    run.expect(sorted(line.split("traceparent=")[1][36:52] for line in headers) == sorted(chain["span_ids"][1::2]),
               "header_carries_parent")
    run.expect(cost["producer_spans"] == {"on": cost["n"], "off": 0}, "cost_spans", n=cost["n"],
               **cost["producer_spans"])


def published_here(task):
    """This process's own counter (before_task_publish fires in whoever sends)."""
    return REGISTRY.get_sample_value("celery_tasks_published_total", {"task": task.name, "queue": "celery"}) or 0


@scenario.step(needs="processes")
def signal_metrics(run):
    urls = metrics_urls(run)                                  # each worker logged "metrics on http://..."
    before, sent_here = {w: scrape(run, url) for w, url in urls.items()}, published_here(tasks.charge)
    sent = [tasks.charge.delay(i) for i in range(8)] + [tasks.refund.delay(1), tasks.flaky.delay(2)]
    outcomes = [run.get(r, propagate=False) for r in sent]
    grew = lambda name, **labels: grown(run, urls, before, name, **labels)      # noqa: E731
    run.wait_until(lambda: grew("celery_task_runtime_seconds_count") >= 11, 3.0)   # postrun comes after the result
    counts = {state: grew("celery_tasks_total", state=state) for state in ("SUCCESS", "FAILURE", "RETRY")}
    n, seconds = (grew(f"celery_task_runtime_seconds_{part}", task=tasks.charge.name) for part in ("count", "sum"))
    published = published_here(tasks.charge) - sent_here
    by_worker = {short(w): int(grown(run, {w: u}, before, "celery_tasks_total", task=tasks.charge.name))
                 for w, u in urls.items()}
    events = [t.seconds for t in run.tasks(sent[:8])]
    run.data.update(charged_by_metrics=by_worker, charged_by_events=run.tasks(sent[:8]).count_by_worker())
    run.echo("\n".join(f"{w}: {u}" for w, u in urls.items()))
    run.say("counted", success=counts["SUCCESS"], failure=counts["FAILURE"], retry=counts["RETRY"],
            published=published, by_worker=by_worker)
    run.say("mean_runtime", metrics=seconds / max(n, 1), events=sum(events) / max(len(events), 1))
    run.expect(outcomes[:8] == [f"order {i} charged" for i in range(8)], "all_charged")
    run.expect(counts == {"SUCCESS": 9, "FAILURE": 1, "RETRY": 1}, "counts_match")
    run.expect(grew("celery_task_failures_total", exception="ValueError") == 1
               and grew("celery_task_retries_total") == 1, "failure_and_retry")
    run.expect(published == 8 and grew("celery_tasks_published_total", task=tasks.flaky.name) == 1,
               "retry_published_by_worker")
    run.expect(n == 8 and abs(seconds / 8 - sum(events) / 8) < 0.02, "histogram_agrees",
               diff=abs(seconds / 8 - sum(events) / 8))


@scenario.step(needs="processes", deadline_s=30)
def prometheus_scrapes(run):
    if not shutil.which("prometheus"):
        run.skip("no_prometheus")
    exporter = run.start_service("command", name="exporter", ready_port=True, command=[
        "{python}", "-m", "lessons.lesson16_observe.exporter", "{port}", "celery", "reports"])
    rabbitmq = rabbitmq_plugin(run)        # RabbitMQ's own metrics for this run's vhost (None: Redis, or plugin off)
    jobs = sorted(JOBS + (["rabbitmq"] if rabbitmq else []))
    run.state["rabbitmq"] = rabbitmq
    began = time.monotonic()
    prometheus = start_prometheus(run, exporter, rabbitmq)   # prometheus.yml: scrape, evaluate every 1 s; rules.yml
    run.state["prometheus"] = prometheus
    run.wait_until(lambda: targets_up(run) == jobs, 15.0)
    up_s, online = time.monotonic() - began, query(run, "sum(flower_worker_online)")
    lengths = ["celery_queue_length"] + ([READY] if rabbitmq else [])   # the exporter's (and RabbitMQ's)
    run.wait_until(lambda: all(sample(run, f"{name}{{queue='celery'}}") is not None for name in lengths), 3.0)
    own = {m["queue"]: m["vhost"] for m, _ in query(run, READY)}     # RabbitMQ's series of the run's queues
    run.echo(f"prometheus --config.file=prometheus.yml --web.listen-address=127.0.0.1:{prometheus.port}")
    run.say("targets", jobs=", ".join(targets_up(run)), up_s=up_s)
    run.expect(targets_up(run) == jobs, "all_up", jobs=", ".join(jobs))
    run.expect(online and online[0][1] == 2, "flower_scraped")
    run.expect(sample(run, "celery_queue_length{queue='celery'}") == run.queue_depth("celery").ready == 0,
               "empty_queue_zero")
    if rabbitmq:
        run.data.update(rabbitmq_vhosts=sorted(set(own.values())), rabbitmq_vhost=rabbitmq.vhost,
                        rabbitmq_celery=sample(run, READY + "{queue='celery'}"))
        run.echo(rabbitmq.url)
        run.say("rabbitmq_queues", count=len(own), vhost=rabbitmq.vhost, queues=", ".join(sorted(own)))
        run.expect(own and set(own.values()) == {rabbitmq.vhost}, "only_this_vhost")
        run.expect(sample(run, READY + "{queue='celery'}") == sample(run, "celery_queue_length{queue='celery'}")
                   == run.queue_depth("celery").ready == 0, "rabbitmq_agrees")


@scenario.step(needs="processes", deadline_s=40)
def backlog_alert(run):
    if "prometheus" not in run.state:
        run.skip("no_prometheus")
    began, backlog, fired = time.monotonic(), [], None
    while fired is None and time.monotonic() - began < 15:   # nobody consumes "reports"
        backlog.append(tasks.report.delay(len(backlog)))
        if alerts(run).get("reports") == "firing":         # GET /api/v1/alerts
            fired = time.monotonic() - began
        run.sleep(0.25)
    growth, stopped = sample(run, "celery:queue_growth:deriv5s{queue='reports'}"), time.monotonic()
    run.wait_until(lambda: sample(run, "celery_queue_length{queue='reports'}") == len(backlog), 3.0)
    if run.state["rabbitmq"]:             # a busy queue reports every 5 s (collect_statistics_interval), and when idle
        run.wait_until(lambda: sample(run, READY + "{queue='reports'}") == len(backlog), 8.0)
    caught_up = time.monotonic() - stopped
    seen, ready = sample(run, "celery_queue_length{queue='reports'}"), run.queue_depth("reports").ready
    rabbit = sample(run, READY + "{queue='reports'}")
    app.control.add_consumer("reports", destination=[run.worker("worker2").host], reply=True, timeout=1.0)
    done, asked = [run.get(r) for r in backlog], time.monotonic()
    run.wait_until(lambda: "reports" not in alerts(run), 10.0)
    resolved = time.monotonic() - asked
    run.data.update(backlog=len(backlog), exporter=seen, broker=ready, rabbitmq=rabbit, caught_up=caught_up)
    run.say("alert_fired", fired=fired or 0, sent=len(backlog), resolved=resolved)
    run.echo("; ".join(f"{name} = {n:g}" for name, n in (("deriv /s", growth), ("celery_queue_length", seen),
                                                        (READY, rabbit), ("broker", ready)) if n is not None))
    run.expect(fired is not None and 3.0 <= fired < 8.0, "fired_in", fired=fired or 0)
    run.expect(growth and growth > 0, "backlog_grows")
    run.expect(seen == ready == len(backlog), "length_agrees", ready=ready)
    if run.state["rabbitmq"]:
        run.expect(rabbit == ready, "rabbitmq_caught_up", ready=ready, caught_up=caught_up)
    run.expect(done == [f"report {i}" for i in range(len(backlog))] and resolved < 10.0, "resolved")
