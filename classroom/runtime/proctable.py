"""What the runner reads from the process table (psutil, on every OS): who listens on a port, which
course processes still run, whether a pid lives. The only module that reads it."""
from __future__ import annotations

import os
from typing import Callable

import psutil


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def pid_alive(pid: int) -> bool:
    """Whether a process we know only by its pid (a pid file: a daemon that left our group) still runs."""
    try:
        return _running(psutil.Process(pid))
    except psutil.Error:
        return False


def port_owner(port: int) -> str | None:
    """"name (pid N)" of the process listening on TCP `port`, or None when it cannot be known
    (nobody listens, or the OS does not tell this user)."""
    try:
        conns = psutil.net_connections(kind="tcp")
    except (psutil.Error, OSError):
        return None
    for conn in conns:
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
            try:
                return f"{psutil.Process(conn.pid).name()} (pid {conn.pid})"
            except psutil.Error:
                return f"pid {conn.pid}"
    return None


def find(match: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of the live processes whose command line `match`es; not us."""
    found = []
    me = os.getpid()
    for p in psutil.process_iter(["pid", "ppid", "cmdline", "status"]):
        info = p.info
        if info["pid"] == me or info["status"] == psutil.STATUS_ZOMBIE or not info["cmdline"]:
            continue
        cmd = " ".join(info["cmdline"])
        if match(cmd):
            found.append((info["pid"], info["ppid"], cmd))
    return found


def course_processes() -> list[tuple[int, str]]:
    """Celery workers and beats of this course still running (pid, command line): main processes
    only, since a prefork worker's children repeat its command line."""
    def course(cmd: str) -> bool:
        return "celery" in cmd and ("lessons." in cmd or "exercises." in cmd or "classroom" in cmd) \
            and (" worker" in cmd or " beat" in cmd)
    found = find(course)
    pids = {pid for pid, _, _ in found}
    return [(pid, cmd) for pid, ppid, cmd in found if ppid not in pids]
