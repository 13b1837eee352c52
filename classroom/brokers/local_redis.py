"""A redis-server the runner starts itself (the machine's binary, a free port), as a managed process."""
from __future__ import annotations

import shutil

from classroom import paths
from classroom.errors import BrokerError
from classroom.runtime import bounds
from classroom.runtime.process import WARM as WARM_STOP
from classroom.runtime.process import ManagedProcess, NotReady

from .probes import free_port, redis_answers


def start_local_redis() -> tuple[str, ManagedProcess] | None:
    """Start the machine's `redis-server` on a free port; None when there is no binary."""
    binary = shutil.which("redis-server")
    if not binary:
        return None
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    server = ManagedProcess(
        f"redis-server:{port}",
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--dir", str(paths.state_dir())],
        paths.log_dir() / f"redis-{port}.log",
        ready=lambda _: redis_answers(url, 0.3),
        start_s=bounds.BROKER_START_S, stop_steps=((WARM_STOP, bounds.BROKER_STOP_S),))
    try:
        server.start()
    except NotReady:
        raise BrokerError("broker.local_redis_failed", port=port, log=str(server.log), tail=server.log_tail()) from None
    return url, server
