"""Lesson 16's Prometheus, for scenario.py: reading /metrics pages, a real Prometheus (Debian's package)
on a free port of 127.0.0.1 that scrapes the workers, Flower, exporter.py and, on RabbitMQ, RabbitMQ's
own metrics; and its HTTP API (query, alerts, targets). Each function takes the kit's `run`.

RabbitMQ's own metrics come from its `rabbitmq_prometheus` plugin (port 15692; enable it with
`rabbitmq-plugins enable rabbitmq_prometheus`; the official Docker image enables it). Its /metrics adds
up every queue of the node (prometheus.return_per_object_metrics = false by default) and
/metrics/per-object (3.8.10+) lists every queue of every vhost; /metrics/detailed (3.9.7+, so every 3.10)
returns only what the query asks for: `?vhost=<the run's vhost>&family=queue_coarse_metrics` gives
rabbitmq_detailed_queue_messages_ready{vhost, queue} (and _unacked, messages) for that vhost's queues
alone (deps/rabbitmq_prometheus, rabbit_prometheus_handler.erl and
prometheus_rabbitmq_core_metrics_collector.erl, v3.10.8).
"""
import json
import re
import urllib.parse
from dataclasses import dataclass

from classroom.lessonkit import ROOT
from prometheus_client.parser import text_string_to_metric_families

RULES = ROOT / "lessons" / "lesson16_observe" / "prometheus" / "rules.yml"
JOBS = ["flower", "queues", "workers"]                  # + "rabbitmq" where RabbitMQ's plugin answers
PLUGIN_SHIFT = 15692 - 5672      # the plugin's port beside AMQP's (Docker moves both: 5673 -> 15693)
READY = "rabbitmq_detailed_queue_messages_ready"


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


@dataclass
class Plugin:
    """RabbitMQ's rabbitmq_prometheus plugin beside the run's broker, and the run's vhost."""
    host: str                    # host:port
    vhost: str

    @property
    def params(self):
        return {"vhost": [self.vhost], "family": ["queue_coarse_metrics"]}

    @property
    def url(self):
        return f"http://{self.host}/metrics/detailed?{urllib.parse.urlencode(self.params, doseq=True)}"


def rabbitmq_plugin(run):
    """The plugin of the run's RabbitMQ, asked once; None on another broker, or (saying so, with the command
    that enables it) where it does not answer."""
    parts = urllib.parse.urlsplit(run.broker_url)
    if not parts.scheme.startswith(("amqp", "pyamqp")):
        return None
    vhost = urllib.parse.unquote(parts.path[1:]) or "/"         # the run's own vhost (the URL's path)
    plugin = Plugin(f"{parts.hostname}:{(parts.port or 5672) + PLUGIN_SHIFT}", vhost)
    try:
        status, text = run.http("GET", plugin.url)
    except OSError:                                            # refused: the plugin is off, or no such port
        status, text = None, ""
    if status == 200 and READY in str(text):                   # 404 before 3.9.7: no /metrics/detailed
        return plugin
    run.say("no_plugin", url=plugin.url)
    return None


def start_prometheus(run, exporter, rabbitmq=None):
    """Prometheus on a free port of 127.0.0.1 scraping the workers, Flower, the exporter (and RabbitMQ's
    plugin for the run's vhost) every second."""
    targets = {"workers": [u.split("/")[2] for u in metrics_urls(run).values()],
               "flower": [run.service("flower").url.split("/")[2]], "queues": [f"127.0.0.1:{exporter.port}"]}
    jobs = [{"job_name": job, "static_configs": [{"targets": hosts}]} for job, hosts in targets.items()]
    if rabbitmq:
        jobs.append({"job_name": "rabbitmq", "metrics_path": "/metrics/detailed", "params": rabbitmq.params,
                     "static_configs": [{"targets": [rabbitmq.host]}]})
    config = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "900ms"},
              "rule_files": [str(RULES)], "scrape_configs": jobs}
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


def sample(run, expr):
    """The one value of a query (None when Prometheus has no such series yet)."""
    found = query(run, expr)
    return found[0][1] if found else None


def alerts(run):
    return {a["labels"]["queue"]: a["state"] for a in api(run, "alerts").get("alerts", [])}


def targets_up(run):
    return sorted({t["labels"]["job"] for t in api(run, "targets").get("activeTargets", []) if t["health"] == "up"})
