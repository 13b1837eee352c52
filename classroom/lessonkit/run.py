"""`run`: what a step function receives. Every operation here is bounded and has one implementation.

Words: ``run.expect(ok, "id", **values)``, ``run.say("id", ...)``, ``run.show(result, "label_id")``,
``run.skip("id")``, ``run.text("id")``: ids of the lesson's steps.toml (see texts.py); ``run.echo(line)``
for a line that reads the same in every language (values, a command).

What happened: ``run.tasks(results)`` (task runs from the workers' events), ``run.queue_depth(queue)``,
``run.inspect(method)`` / ``run.control(method)`` (bounded, the run's workers filled in), ``run.log(...)``.
Workers: ``run.worker("worker1")`` -> a handle that can be killed and restarted.
"""
from __future__ import annotations

import re
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from celery import states

from classroom import paths
from classroom.brokers.depth import Depth, queue_depth
from classroom.lessonkit import outside
from classroom.lessonkit.step import Step, StepSkipped
from classroom.lessonkit.taskruns import TaskRun, TaskRuns, short
from classroom.messages import pick, t
from classroom.runtime import bounds, waits
from classroom.runtime.process import ManagedProcess
from classroom.runtime.tracking import TaskRecord
from classroom.runtime.workers import WorkerSpec

IS_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


@dataclass(frozen=True)
class CommandResult:
    exit: int | None          # None: stopped at its bound
    seconds: float
    log: str                  # the last lines it printed
    log_path: str


@dataclass
class Observation:
    """One task as the learner sees it: id, name, state, result, worker, duration."""
    task_id: str
    name: str
    state: str
    result: Any
    worker: str
    seconds: float | None
    label: str = ""


@dataclass
class Run:
    """The context of one step: the app, the mode, the session's workers and services, bounded waits,
    the lesson's words and what to show. `state` is shared by the steps of one play (never a global)."""
    session: Any
    lesson: Any = None
    step: Step | None = None
    state: dict = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    observations: list[Observation] = field(default_factory=list)
    checks: list[tuple[bool, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timelines: list[tuple[str, list[str]]] = field(default_factory=list)
    renderables: list = field(default_factory=list)   # rich renderables shown after the notes (a dashboard)
    data: dict = field(default_factory=dict)   # facts a step records for the JSON report (tests read them)
    began: float = field(default_factory=time.time)

    # --- the run's context ---
    @property
    def app(self):
        return self.session.app

    @property
    def mode(self) -> str:
        return self.session.broker.mode

    @property
    def workers(self) -> list[str]:
        """The hostnames of the run's workers (worker1@lesson3-ab12 ...)."""
        return self.session.hostnames

    @property
    def run_id(self) -> str:
        return self.session.run_id

    @property
    def settings(self) -> dict:
        """The Celery settings of this run (what the workers got too)."""
        return self.session.settings

    @property
    def broker_url(self) -> str:
        return self.session.broker.url

    @property
    def _tracker(self):
        return self.session.tracker

    # --- words ---
    def text(self, text_id: str | dict, **values: Any) -> str:
        """A text of the lesson's steps.toml in the learner's language, placeholders filled in."""
        if isinstance(text_id, dict) or self.step is None or self.step.texts is None or self.step.texts.path is None:
            rendered = pick(text_id)            # a lesson not yet on steps.toml: the text itself
            return rendered.format(**values) if values else rendered
        return self.step.texts.render(self.step.name, text_id, values)

    def expect(self, ok: Any, text_id: str | dict, **values: Any) -> bool:
        """A claim the lesson makes; a false one fails the step (and the runner's exit code)."""
        self.checks.append((bool(ok), self.text(text_id, **values)))
        return bool(ok)

    def say(self, text_id: str | dict, **values: Any) -> None:
        self.notes.append(self.text(text_id, **values))

    def echo(self, line: str) -> None:
        """A line that reads the same in every language: values, a command, an arrow of states."""
        self.notes.append(str(line))

    def skip(self, text_id: str | dict, **values: Any) -> None:
        """Stop this step here and count it as skipped, saying why (both languages)."""
        raise StepSkipped(self.text(text_id, **values))

    # --- waiting (every wait is bounded and stops when the step is cancelled) ---
    def get(self, result, timeout: float = bounds.RESULT_S, propagate: bool = True) -> Any:
        """result.get(timeout=...) with a hard deadline and a diagnosis when nothing comes."""
        return waits.get(result, timeout=timeout, propagate=propagate)

    def poll(self, result, until: Callable[[str, Any], bool], timeout: float = bounds.RESULT_S,
             on_change: Callable[[str, Any], None] | None = None) -> str:
        self._need_stored_states()
        return waits.poll_state(result, until, timeout, on_change=on_change)

    def _need_stored_states(self) -> None:
        """rpc:// sends each state as a message to the client once; after a get() has started consuming
        them, polling .state never sees them again. Say so instead of failing on a Celery limitation."""
        if type(self.app.backend).__name__ == "RPCBackend":
            raise StepSkipped(t("step.rpc_polling"))

    def progress(self, result, timeout: float = bounds.RESULT_S, interval: float = 0.02) -> list[tuple[str, Any]]:
        """Poll (bounded) until `result` is ready, drawing a live bar from the task's real meta
        (``{'current': i, 'total': n}``). Returns every distinct (state, info) seen, in order."""
        from classroom.player.views import ProgressView
        self._need_stored_states()
        seen: list[tuple[str, Any]] = []
        with ProgressView(t("progress.label", task_id=result.id[:8])) as view:
            def changed(state: str, info: Any) -> None:
                seen.append((state, info))
                view.update(state, info)
            waits.poll_state(result, lambda state, info: state in states.READY_STATES, timeout,
                             interval=interval, on_change=changed)
        return seen

    def sleep(self, seconds: float) -> None:
        waits.sleep(seconds)

    def wait_until(self, predicate: Callable[[], Any], timeout: float, interval: float = 0.05) -> bool:
        """Poll `predicate` (bounded) until it is true; an exception counts as "not yet"."""
        def safe() -> bool:
            try:
                return bool(predicate())
            except Exception:
                return False
        return waits.wait_until(safe, timeout, interval)

    def bounded(self, fn: Callable[[], Any], timeout: float) -> Any:
        """Call `fn` with a hard deadline (a WaitTimeout after `timeout` seconds)."""
        return waits.call_with_deadline(fn, timeout)

    # --- what happened ---
    def tasks(self, results=None, settle: float = 1.0) -> TaskRuns:
        """The task runs of `results` (AsyncResults or ids, in that order) as the workers' events report
        them, waiting up to `settle` s for their final events. None: every task seen since this step
        began, also those a worker sent (chain links, chord callbacks), in the order they started."""
        tracker = self._tracker
        if results is None:
            def mine() -> list:
                with tracker.lock:
                    return [rec for rec in tracker.tasks.values()
                            if (rec.sent or rec.received or rec.started or 0) >= self.began]
            waits.wait_until(lambda: all(rec.ended for rec in mine()), settle, 0.02)
            return TaskRuns(TaskRun.of(rec) for rec in sorted(mine(), key=lambda r: r.started or r.sent or 0))
        ids = [getattr(r, "id", r) for r in results]
        if settle:
            tracker.settle(ids, settle)
        with tracker.lock:
            return TaskRuns(TaskRun.of(tracker.tasks.get(i) or TaskRecord(i)) for i in ids)

    def task(self, result, settle: float = 1.0) -> TaskRun:
        return self.tasks([result], settle)[0]

    def step_results(self, settle: float = 1.0) -> list:
        """Every task seen since this step began, as AsyncResults, in the order they started."""
        return [self.app.AsyncResult(r.id) for r in self.tasks(None, settle)]

    def queue_depth(self, queue: str = "celery") -> Depth:
        """What the broker holds for `queue` now: ready messages, and unacked ones where the transport says."""
        return queue_depth(self.app, queue)

    def inspect(self, method: str, workers: list[str] | None = None, timeout: float = bounds.INSPECT_S) -> dict:
        """app.control.inspect(destination=..., timeout=...).<method>(), bounded; `workers` are short
        names (default: every live worker of the run). Replies keyed by short name; None where a worker
        did not answer."""
        hosts = self._hosts(workers)
        replies = waits.inspect(self.app, method, timeout, destination=hosts)
        return {short(h): replies.get(h) for h in hosts}

    def control(self, method: str, workers: list[str] | None = None, timeout: float = bounds.INSPECT_S,
                **arguments: Any) -> dict:
        """app.control.<method>(..., destination=..., reply=True), bounded: add_consumer, rate_limit,
        pool_grow ... Replies keyed by short worker name."""
        hosts = self._hosts(workers)

        def call() -> list:
            return self.app.control.broadcast(method, arguments=arguments, destination=hosts, reply=True,
                                              limit=len(hosts), timeout=timeout) or []
        replies = waits.call_with_deadline(call, timeout + bounds.BROKER_SOCKET_S + 1)
        return {short(host): answer for reply in replies for host, answer in reply.items()}

    def _hosts(self, workers: list[str] | None) -> list[str]:
        if workers is None:
            return [w.hostname for w in self.session.workers if w.alive()]
        return [self.worker(name).host for name in workers]

    def log(self, contains: str, count: int = 1, timeout: float = bounds.LOG_S, worker: str | None = None,
            tidy: bool = True) -> list[str]:
        """The workers' log lines (what their terminals show) that contain `contains`, waiting up to
        `timeout` s for `count` of them. Tidied: no logger prefix, task ids cut to 8 characters."""
        sources = [self.worker(worker)._worker] if worker else list(self.session.workers)
        lines: list[str] = []

        def found() -> bool:
            lines[:] = [line for w in sources for line in w.log_tail(10_000).splitlines() if contains in line]
            return len(lines) >= count

        waits.wait_until(found, timeout, 0.05)
        return [tidy_line(line) for line in lines] if tidy else lines

    # --- workers and services ---
    def worker(self, name: str) -> "WorkerHandle":
        """The run's worker called `name` (its short name, or the full hostname)."""
        for worker in reversed(self.session.workers):   # a restarted worker: the newest
            if worker.hostname == name or short(worker.hostname) == name:
                return WorkerHandle(self, worker)
        raise KeyError(f"no worker {name!r} in this run: {[short(h) for h in self.workers]}")

    def start_worker(self, name: str, queues: tuple[str, ...] | list[str] | None = None, concurrency: int = 2,
                     settings: dict[str, Any] | None = None, **options: Any) -> "WorkerHandle":
        """Start one more worker now (stopped with the others at the end): `celery worker -n name ...`.
        `settings`: Celery settings for this worker only, given as Celery's command line does
        (`celery worker ... -- broker_channel_error_retry=True`)."""
        if settings:
            options["args"] = (*options.get("args", ()), "--", *(f"{k}={v}" for k, v in settings.items()))
        spec = WorkerSpec(name, tuple(queues) if queues else None, concurrency, **options)
        return WorkerHandle(self, self.session.start_worker(spec))

    def service(self, name: str):
        """A running service of the run (lesson.toml [[services]] or started with start_service)."""
        return self.session.services[name]

    def start_service(self, kind: str, **options: Any):
        return self.session.start_service(kind, **options)

    @property
    def backend_url(self) -> str:
        return self.session.broker.backend

    def child_env(self) -> dict[str, str]:
        """The environment a process of this run needs (broker, settings, app path): what workers get."""
        return self.session.child_env()

    def run_command(self, name: str, cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None,
                    timeout: float = bounds.COMMAND_RUN_S) -> CommandResult:
        """Run a command to its end in its own process group with a log file, stopped after `timeout`
        seconds at the latest (then exit is None)."""
        log = paths.log_dir() / f"{name}-{self.run_id}.log"
        proc = ManagedProcess(name, cmd, log, env=env, cwd=cwd)
        began = time.monotonic()
        code = proc.run_to_end(timeout)
        return CommandResult(code, round(time.monotonic() - began, 2), proc.log_tail(400), str(log))

    def delete_queue(self, name: str) -> None:
        """Delete a queue (and its exchange of the same name) this run declared on RabbitMQ, bounded; on
        Redis the run's keys go when the run ends."""
        def delete() -> None:
            with self.app.connection_for_write() as conn:
                if not hasattr(conn.default_channel, "_size"):      # AMQP, not a virtual transport
                    conn.default_channel.queue_delete(name)
                    conn.default_channel.exchange_delete(name)
        waits.call_with_deadline(delete, bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S)

    def docker_engine(self) -> tuple[bool, str]:
        """Is a Docker engine usable here, and what it said (for a step about tools that need one)."""
        from classroom.brokers import docker_status
        ok, said, _fix = docker_status.engine()
        return ok, said

    def rabbitmq_setting(self, key: str, value: int | str):
        """`with run.rabbitmq_setting("consumer_timeout", 2000):` a setting of the local RabbitMQ server for the
        block, restored after it (also on failure and at exit); the step is skipped where the runner does not
        control the server. See lessonkit/server.py."""
        from classroom.lessonkit.server import rabbitmq_setting
        return rabbitmq_setting(self.broker_url, key, value)

    def file(self, name: str) -> str:
        """A path for a file of this run (a run log the tasks write): fresh, removed when the run ends."""
        folder = paths.state_dir() / "runs" / self.run_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.unlink(missing_ok=True)
        return str(path)

    # --- recording ---
    def show(self, result, label: str | dict | None = None, **values: Any) -> Observation:
        """Add a row for `result` (an AsyncResult) with what the backend and the events say."""
        waits.call_with_deadline(lambda: result.state, bounds.BROKER_SOCKET_S + 2)
        self._tracker.settle([result.id], 0.5)
        rec = self._tracker.tasks.get(result.id)
        state = result.state
        value = result.result if state in ("SUCCESS", "FAILURE", "RETRY") else result.info
        if isinstance(value, BaseException):
            value = f"{type(value).__name__}: {value}"
        worker = (rec.hostname if rec and rec.hostname else None) or (getattr(result, "worker", None) or "")
        seconds = None
        if rec and rec.started and rec.ended and rec.ended >= rec.started:   # a retried task: the last try
            seconds = rec.ended - rec.started
        name = (rec.name if rec and rec.name else getattr(result, "name", "")) or ""
        text = self.text(label, **values) if label else ""
        obs = Observation(result.id, name.rsplit(".", 1)[-1], state, value, worker, seconds, text)
        self.observations.append(obs)
        return obs

    def allow_exit(self, worker) -> None:
        """This worker is meant to stop (a shutdown, a kill): its exit is not reported as a failure."""
        getattr(worker, "_worker", worker).expected_exit = True

    def render(self, renderable) -> None:
        """Show a rich renderable (a table, a dashboard) with the step's outcome."""
        self.renderables.append(renderable)

    def tree(self, signature) -> None:
        """Draw a canvas (chain / group / chord) as a tree, now, before it runs."""
        from classroom.player.views import show_tree
        show_tree(signature)

    def bars(self, rows: list[tuple[str, float]], title: str | dict = "", unit: str = "", **values: Any) -> None:
        """Draw measured numbers as a bar chart after the step: rows of (label, value), one unit.
        Labels are shown as given (use run.text for words)."""
        from classroom.player.charts import Chart
        self.render(Chart(self.text(title, **values) if title else "", [(pick(label), float(value))
                                                                       for label, value in rows], unit))

    def timeline(self, results, title: str | dict = "", **values: Any) -> None:
        """Draw these tasks on a timeline (one row per worker process) after the step."""
        self.timelines.append((self.text(title, **values) if title else "", [getattr(r, "id", r) for r in results]))

    # --- from outside the run's process (classroom/lessonkit/outside.py) ---
    def celery(self, *commands: list[str], timeout: float = bounds.CLI_S) -> list[tuple[int | None, str]]:
        """The real `celery -A <app> ARGS` CLI, one per command, side by side: [(exit code, output)]."""
        return outside.celery(self.session, *commands, timeout=timeout)

    def celery_shown(self, args: list[str]) -> str:
        """`celery -A <app> -b <broker> ARGS` as the learner types it (password hidden)."""
        return outside.celery_shown(self.session, args)

    def http(self, method: str, url: str, form: dict | None = None, auth: tuple[str, str] | None = None,
             timeout: float = bounds.HTTP_S) -> tuple[int, Any]:
        """One bounded HTTP request: (status, JSON or text)."""
        return outside.http(method, url, form, auth, timeout)

    def dashboard(self, workers: list[str] | None = None):
        """`with run.dashboard() as dash:` a live events dashboard of the run's workers; dash.finish()
        returns its last snapshot and shows it after the step."""
        return outside.Dashboard(self, workers if workers is not None else self.workers)

    # --- compatibility for lessons not yet on the kit (removed once every lesson is) ---
    def records(self, results, seconds: float = 1.0) -> list:
        ids = [r.id for r in results]
        self._tracker.settle(ids, seconds)
        return [self._tracker.tasks.get(i) for i in ids]

    def step_tasks(self, seconds: float = 1.0) -> list:
        return self.step_results(seconds)

    def worker_log(self, contains: str, count: int = 1, timeout: float = bounds.LOG_S) -> list[str]:
        return self.log(contains, count, timeout, tidy=False)


def tidy_line(line: str) -> str:
    """A worker log line without the logger prefix ("[time: LEVEL/process] ", a task logger's "name[id]: "),
    task ids cut to 8 characters."""
    line = re.sub(r"^\[[^\]]*\] ", "", line).split("]: ", 1)[-1]
    return re.sub(r"([0-9a-f]{8})-[0-9a-f-]{27}", r"\1", line)


class WorkerHandle:
    """One worker of the run: its names, its processes, and what a lesson may do to it (real signals)."""

    def __init__(self, run: Run, worker) -> None:
        self._run, self._worker = run, worker

    @property
    def host(self) -> str:
        return self._worker.hostname

    @property
    def name(self) -> str:
        return short(self._worker.hostname)

    @property
    def pool(self) -> str:
        return self._worker.pool

    @property
    def spec(self) -> WorkerSpec:
        return self._worker.spec

    @property
    def pid(self) -> int | None:
        proc = getattr(self._worker, "proc", None)
        return proc.pid if proc is not None else None

    def alive(self) -> bool:
        return self._worker.alive()

    def children(self) -> list:
        """The pool's processes (psutil.Process), for a prefork worker."""
        return list(self._worker.children())

    def expect_exit(self) -> None:
        """This worker is meant to stop: its exit is not reported as a fault."""
        self._worker.expected_exit = True

    def signal(self, sig: int) -> float:
        """Send `sig` to the worker's main process only (as `kill -TERM <pid>` would). Returns when."""
        self.expect_exit()
        self._worker.process.send(sig, group=False)
        return time.time()

    def kill(self, sig: int = IS_KILL) -> float:
        """kill -9 of the main process and its pool (an OOM kill, a lost machine); returns the time of the
        kill once the process is gone (bounded)."""
        self.expect_exit()
        pool = self.children()
        self._worker.kill(sig)
        for child in pool:
            try:
                child.send_signal(sig)
            except Exception:   # already gone with its parent
                pass
        killed = time.time()
        waits.wait_until(lambda: not self.alive(), bounds.PROCESS_TERMINATE_S, 0.01)
        return killed

    def kill_pool_process(self, pid: int | None = None, sig: int = IS_KILL) -> int | None:
        """kill -9 of one pool process (the one with `pid`, else the first); the main process lives on."""
        for child in self.children():
            if pid is None or child.pid == pid:
                child.send_signal(sig)
                return child.pid
        return None

    def wait_exit(self, timeout: float) -> int | None:
        """Wait (bounded) for the worker to exit; its exit code, or None if it still runs."""
        waits.wait_until(lambda: not self.alive(), timeout, 0.02)
        proc = getattr(self._worker, "proc", None)
        return None if self.alive() else (proc.returncode if proc is not None else 0)

    def restart(self, **changes: Any) -> "WorkerHandle":
        """Start the same worker again (a new process, same name and queues), as a supervisor would."""
        spec = self._worker.spec
        fields = {k: getattr(spec, k) for k in ("name", "queues", "concurrency", "pool", "prefetch_multiplier",
                                                "args", "env", "modes")}
        return WorkerHandle(self._run, self._run.session.start_worker(WorkerSpec(**{**fields, **changes})))

    def log(self, contains: str, count: int = 1, timeout: float = bounds.LOG_S) -> list[str]:
        return self._run.log(contains, count, timeout, worker=self.host)

    def log_tail(self, lines: int = 15) -> str:
        return self._worker.log_tail(lines)
