"""`celery multi` as a service: nodes started by the real command, detached, and stopped by it.

    [[services]]
    name = "multi"
    nodes = ["node1", "node2"]        # node1@<run id>, node2@<run id>
    queues = ["multi"]
    concurrency = 1

`celery multi start` daemonizes each node (fork, setsid, fork) and exits, so the nodes leave the
runner's process group: they are found again through their pid files (in the runner's state dir,
one folder per run) and stopped with `celery multi stopwait`, bounded; a node still alive after it,
or after a second Ctrl+C, is killed with its pool processes.
"""
from __future__ import annotations

import os
import re
import sys
import time

from classroom import ROOT, paths
from classroom.errors import ClassroomError
from classroom.runtime import bounds, process, waits
from classroom.runtime import proctable
from classroom.runtime import reaper
from classroom.runtime.process import ManagedProcess

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class MultiService:
    def __init__(self, session, spec) -> None:
        opts = spec.options
        self.name, self.session = spec.name, session
        self.folder = paths.state_dir() / "multi" / session.run_id
        self.nodes = [f"{node}@{session.run_id}" for node in opts.get("nodes", ["node1", "node2"])]
        worker_options = ["-A", session.lesson.app_module, "-c", str(opts.get("concurrency", 1)),
                          "-Q", ",".join(opts.get("queues", ["multi"])), "-l", "info", "-E",
                          "--without-gossip", "--without-mingle", f"--workdir={ROOT}"]
        files = [f"--pidfile={self.folder}/%n.pid", f"--logfile={self.folder}/%n%I.log"]
        celery = [sys.executable, "-m", "celery", "multi"]
        self.start_cmd = celery + ["start", *self.nodes, *worker_options, *files]
        self.stop_cmd = celery + ["stopwait", *self.nodes, files[0]]
        self.env = {**os.environ, **session.child_env()}
        self.pids: dict[str, int] = {}
        self.output: dict[str, str] = {}
        self.seconds: dict[str, float] = {}
        self.stopped = False
        self.info = {"kind": spec.kind, "nodes": self.nodes, "folder": str(self.folder),
                     "start": self._shown(self.start_cmd), "stop": self._shown(self.stop_cmd)}

    @staticmethod
    def _shown(cmd: list[str]) -> str:
        """The command as a learner types it: `celery multi ...`, the repository root as `.`."""
        return " ".join(["celery"] + cmd[3:]).replace(f"--workdir={ROOT}", "--workdir=.")

    def pidfile(self, node: str) -> os.PathLike:
        return self.folder / f"{node.split('@', 1)[0]}.pid"

    def logfiles(self) -> list:
        return sorted(self.folder.glob("*.log"))

    def _run(self, key: str, cmd: list[str], seconds: float) -> int | None:
        """One `celery multi` command, bounded; its output is kept (without colours) for the lesson."""
        began = time.monotonic()
        command = ManagedProcess(f"multi-{key}", cmd, paths.log_dir() / f"service-{self.session.run_id}-multi-{key}.log",
                                 env=self.env, cwd=str(ROOT))
        command.spawn()
        waits.wait_until(lambda: not command.alive(), seconds, 0.05)
        code = command.stop(steps=())          # still running after the bound: killed here
        self.seconds[key] = round(time.monotonic() - began, 3)
        self.output[key] = ANSI.sub("", command.log_tail(40))
        return code

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        reaper.on_kill_all.append(self._kill_nodes)       # a second Ctrl+C: the detached nodes too
        code = self._run("start", self.start_cmd, bounds.MULTI_START_S)
        answered: list[str] = []

        def ready() -> bool:
            answered[:] = waits.ping(self.session.app, bounds.WORKER_PING_S, destination=self.nodes)
            return set(answered) >= set(self.nodes)

        if code != 0 or not waits.wait_until(ready, bounds.WORKER_START_S, 0.1):
            raise ClassroomError("service.not_started", name=self.name, code=code, seconds=bounds.WORKER_START_S,
                                 log=str(self.folder), tail=self.output.get("start", ""))
        self.pids = {node: int(self.pidfile(node).read_text().strip()) for node in self.nodes}

    def request_stop(self) -> None:
        """Nothing to start early: `celery multi stopwait` signals all the nodes itself."""

    def stop(self) -> None:
        """`celery multi stopwait` (a warm shutdown of each node, bounded), then nothing may be left."""
        if self.stopped:
            return
        self.stopped = True
        if self.alive():
            self._run("stop", self.stop_cmd, bounds.MULTI_STOP_S)
        self._kill_nodes()
        if self._kill_nodes in reaper.on_kill_all:
            reaper.on_kill_all.remove(self._kill_nodes)

    def _kill_nodes(self) -> None:
        reaper.kill_trees([pid for pid in self.pids.values() if proctable.pid_alive(pid)])

    def alive(self) -> bool:
        return any(proctable.pid_alive(pid) for pid in self.pids.values())

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(process.tail(log, lines) for log in self.logfiles())


def make(session, spec) -> MultiService:
    return MultiService(session, spec)
