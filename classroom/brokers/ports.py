"""Is a port taken, and by whom (the process table is read in classroom/runtime/process.py)."""
from __future__ import annotations

import socket

from classroom.runtime.proctable import port_owner as owner

__all__ = ["in_use", "owner"]


def in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0
