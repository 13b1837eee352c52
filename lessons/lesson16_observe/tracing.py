"""Lesson 16's traces: OpenTelemetry spans written as JSON lines, one file per process, read back as one trace.

Each process that traces (the web app in the runner, each worker) gets a TracerProvider from
`provider(node)`. Its finished spans go to spans-<node>.jsonl in the folder $LESSON16_SPANS names
(lesson.toml [env]: the run's folder), one span a line in the SDK's own format (ReadableSpan.to_json);
without that variable (a worker started by hand) they go to the terminal (ConsoleSpanExporter).
"""
import contextlib
import json
import os
import statistics
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from opentelemetry.instrumentation.celery import CeleryInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor, SpanExporter, SpanExportResult

SPANS_ENV = "LESSON16_SPANS"
PREFIX = "lessons.lesson16_observe.tasks."


class JsonLines(SpanExporter):
    """Every finished span as one line of JSON appended to `path` (the threads pool ends spans in
    several threads at once: one lock)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.out, self.lock = open(path, "a", encoding="utf-8"), threading.Lock()

    def export(self, spans):
        with self.lock:
            self.out.writelines(span.to_json(indent=None) + "\n" for span in spans)
            self.out.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        with self.lock:
            self.out.close()


def provider(node: str) -> TracerProvider:
    """A TracerProvider whose spans name their process (service.instance.id = node, process.pid) and are
    exported as each one ends."""
    folder = os.environ.get(SPANS_ENV)
    exporter = JsonLines(Path(folder) / f"spans-{node}.jsonl") if folder else ConsoleSpanExporter()
    tracer_provider = TracerProvider(resource=Resource.create({
        "service.name": "lesson16", "service.instance.id": node, "process.pid": os.getpid()}))
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))   # production: BatchSpanProcessor
    return tracer_provider


@contextlib.contextmanager
def instrumented(node: str):
    """This process traces its Celery calls (and, in memory mode, its worker threads) for the block."""
    tracer_provider, instrumentor = provider(node), CeleryInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        yield tracer_provider
    finally:
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
        tracer_provider.shutdown()


def publish_cost(task, tracer_provider, queue: str, rounds: int = 10, n: int = 10) -> dict:
    """What a publisher pays for its spans: the median time of one task.apply_async() to `queue` (that no
    worker consumes) in µs, the instrumentation on and off in turns (`rounds` blocks of n each way, so both
    see the same load), and how many PRODUCER spans each way wrote. Ends with it on, as it began."""
    times, ids = {"on": [], "off": []}, {"on": set(), "off": set()}
    for _ in range(rounds):
        for state in ("off", "on"):
            if state == "off":
                CeleryInstrumentor().uninstrument()
            else:
                CeleryInstrumentor().instrument(tracer_provider=tracer_provider)
            for _ in range(n):
                began = time.perf_counter()
                result = task.apply_async(queue=queue, ignore_result=True)
                times[state].append(time.perf_counter() - began)
                ids[state].add(result.id)
    return {"us": {state: statistics.median(seconds) * 1e6 for state, seconds in times.items()},
            "producer_spans": {state: sum(s["kind"] == "SpanKind.PRODUCER" for s in message_spans(found))
                               for state, found in ids.items()}, "n": rounds * n}


def spans(folder: str | None = None) -> list[dict]:
    """Every span the run's processes wrote so far (a line still being written is left for later)."""
    found = []
    for path in sorted(Path(folder or os.environ[SPANS_ENV]).glob("spans-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                found.append(json.loads(line))
    return found


def message_spans(task_ids) -> list[dict]:
    """The spans of these task messages (messaging.message.id), in every file."""
    return [s for s in spans() if s["attributes"].get("messaging.message.id") in task_ids]


def request_trace(task_id: str, trace_id: str) -> list[dict]:
    """The web request's SERVER span (by the trace id it answered) and the task's spans (by its id), by start."""
    server = [s for s in spans() if s["kind"] == "SpanKind.SERVER" and s["context"]["trace_id"] == "0x" + trace_id]
    return sorted(server + message_spans({task_id}), key=lambda s: s["start_time"])


def summary(chain: list[dict]) -> dict:
    """What the checks and the report need from a chain of spans."""
    attributes = [s["attributes"] for s in chain]
    return {"names": [s["name"].replace(PREFIX, "") for s in chain],
            "kinds": [s["kind"].removeprefix("SpanKind.") for s in chain],
            "workers": [s["resource"]["attributes"]["service.instance.id"].split("@")[0] for s in chain],
            "pids": [s["resource"]["attributes"]["process.pid"] for s in chain],
            "trace_ids": sorted({s["context"]["trace_id"][2:] for s in chain}),
            "span_ids": [s["context"]["span_id"][2:] for s in chain],
            "parents_ok": bool(chain) and chain[0]["parent_id"] is None
            and all(b["parent_id"] == a["context"]["span_id"] for a, b in zip(chain, chain[1:])),
            "states": [a.get("celery.state") for a in attributes],
            "retries": [a.get("celery.retries") for a in attributes],
            "hostnames": [a.get("celery.hostname") for a in attributes],
            "reason": next((a["celery.retry.reason"] for a in attributes if "celery.retry.reason" in a), ""),
            "ms": [(_ns(s["start_time"]) - _ns(chain[0]["start_time"])) / 1e6 for s in chain]}


def tree(info: dict) -> list[str]:
    """One line per span, each a child of the one above it: name, kind, process, start (ms after the first)."""
    lines = []
    for depth, (name, kind, node, ms, state) in enumerate(zip(
            info["names"], info["kinds"], info["workers"], info["ms"], info["states"])):
        indent = "   " * (depth - 1) + "└─ " if depth else ""
        lines.append(f"{indent}{name} {kind} {node} +{ms:.0f}ms" + (f" {state}" if state else ""))
    return lines


def _ns(iso: str) -> int:
    """A time as to_json writes it ("2025-01-01T12:00:00.123456Z", UTC) in nanoseconds."""
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return round(moment.timestamp() * 1e6) * 1000
