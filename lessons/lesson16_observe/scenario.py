"""What `python runner.py lesson 16` plays: each step's body is shown as it runs; its words are in steps.toml."""
import json
import re
import shutil
import time
import urllib.parse

from classroom.lessonkit import ROOT, Scenario, short
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from . import tasks, tracing, web

scenario = Scenario()
app = tasks.app
RULES = ROOT / "lessons" / "lesson16_observe" / "prometheus" / "rules.yml"


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


def scrape(run, url):
    """{(name, labels): value} of one /metrics page."""
    status, text = run.http("GET", url)
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(str(text)) for s in family.samples} if status == 200 else {}


def total(samples, name, **labels):
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= set(ls))


def metrics_urls(run):
    return {w: re.search(r"http://\S+/metrics", run.log("metrics on http://", worker=w, tidy=False)[0]).group(0)
            for w in run.workers}


def grown(run, urls, before, name, **labels):
    """How much a metric grew on the workers since `before` ({worker: samples})."""
    return sum(total(scrape(run, url), name, **labels) - total(before[w], name, **labels) for w, url in urls.items())


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


def start_prometheus(run, exporter):
    """Prometheus on a free port of 127.0.0.1 scraping the workers, Flower and the exporter every second."""
    targets = {"workers": [u.split("/")[2] for u in metrics_urls(run).values()],
               "flower": [run.service("flower").url.split("/")[2]], "queues": [f"127.0.0.1:{exporter.port}"]}
    config = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "900ms"},
              "rule_files": [str(RULES)],
              "scrape_configs": [{"job_name": job, "static_configs": [{"targets": hosts}]}
                                 for job, hosts in targets.items()]}
    path = run.file("prometheus.yml")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(config, out, indent=2)                    # JSON is YAML
    return run.start_service("command", name="prometheus", ready_port=True, command=[
        "prometheus", f"--config.file={path}", f"--storage.tsdb.path={run.file('tsdb')}",
        "--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])


def api(run, path):
    status, body = run.http("GET", f"http://127.0.0.1:{run.state['prometheus'].port}/api/v1/{path}")
    return body["data"] if status == 200 and isinstance(body, dict) else {}


def query(run, expr):
    return [(r["metric"], float(r["value"][1])) for r in api(run, f"query?query={urllib.parse.quote(expr)}")
            .get("result", [])]


def alerts(run):
    return {a["labels"]["queue"]: a["state"] for a in api(run, "alerts").get("alerts", [])}


def targets_up(run):
    return sorted({t["labels"]["job"] for t in api(run, "targets").get("activeTargets", []) if t["health"] == "up"})


@scenario.step(needs="processes", deadline_s=30)
def prometheus_scrapes(run):
    if not shutil.which("prometheus"):
        run.skip("no_prometheus")
    exporter = run.start_service("command", name="exporter", ready_port=True, command=[
        "{python}", "-m", "lessons.lesson16_observe.exporter", "{port}", "celery", "reports"])
    began = time.monotonic()
    prometheus = start_prometheus(run, exporter)      # prometheus.yml: scrape and evaluate every 1 s; rules.yml
    run.state["prometheus"] = prometheus
    run.wait_until(lambda: targets_up(run) == ["flower", "queues", "workers"], 15.0)
    up_s, online = time.monotonic() - began, query(run, "sum(flower_worker_online)")
    run.wait_until(lambda: query(run, "celery_queue_length{queue='celery'}"), 3.0)
    run.echo(f"prometheus --config.file=prometheus.yml --web.listen-address=127.0.0.1:{prometheus.port}")
    run.say("targets", jobs=", ".join(targets_up(run)), up_s=up_s)
    run.expect(targets_up(run) == ["flower", "queues", "workers"], "all_up")
    run.expect(online and online[0][1] == 2, "flower_scraped")
    run.expect(query(run, "celery_queue_length{queue='celery'}")[0][1] == run.queue_depth("celery").ready == 0,
               "empty_queue_zero")


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
    growth = query(run, "celery:queue_growth:deriv5s{queue='reports'}")
    run.sleep(1.5)                                          # one more scrape after the last publish
    seen, ready = query(run, "celery_queue_length{queue='reports'}"), run.queue_depth("reports").ready
    app.control.add_consumer("reports", destination=[run.worker("worker2").host], reply=True, timeout=1.0)
    done, asked = [run.get(r) for r in backlog], time.monotonic()
    run.wait_until(lambda: "reports" not in alerts(run), 10.0)
    resolved = time.monotonic() - asked
    run.say("alert_fired", fired=fired or 0, sent=len(backlog), resolved=resolved)
    run.echo(f"deriv = {growth[0][1] if growth else '-'} /s; celery_queue_length = {seen[0][1] if seen else '-'}; "
             f"broker: {ready}")
    run.expect(fired is not None and 3.0 <= fired < 8.0, "fired_in", fired=fired or 0)
    run.expect(growth and growth[0][1] > 0, "backlog_grows")
    run.expect(seen and int(seen[0][1]) == ready == len(backlog), "length_agrees", ready=ready)
    run.expect(done == [f"report {i}" for i in range(len(backlog))] and resolved < 10.0, "resolved")
