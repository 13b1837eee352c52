"""Who is listening on a port (best effort: Linux /proc; elsewhere only whether it is taken)."""
from __future__ import annotations

import os
import socket
from pathlib import Path


def in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A = LISTEN
                inodes.add(inode)
    return inodes


def owner(port: int) -> str | None:
    """"name (pid N)" of the process listening on `port`, or None when it cannot be known."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    name = (proc / "comm").read_text().strip()
                    return f"{name} (pid {proc.name})"
        except OSError:
            continue
    return None


def celery_processes(marker: str = "celery") -> list[tuple[int, str]]:
    """Live processes running Celery for this course (pid, command line); empty where /proc is absent."""
    found = []
    me = os.getpid()
    for proc in Path("/proc").iterdir() if Path("/proc").exists() else []:
        if not proc.name.isdigit() or int(proc.name) == me:
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        if ") Z " in stat:
            continue
        if marker in cmd and ("lessons." in cmd or "exercises." in cmd or "classroom" in cmd) \
                and (" worker" in cmd or " beat" in cmd):
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            found.append((int(proc.name), ppid, cmd))
    pids = {pid for pid, _, _ in found}
    # A prefork worker's children repeat its command line: report the main process only.
    return [(pid, cmd) for pid, ppid, cmd in found if ppid not in pids]
