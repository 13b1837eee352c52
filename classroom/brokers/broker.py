"""What the chooser returns: which broker a run uses, why, and what to stop afterwards."""
from __future__ import annotations

from dataclasses import dataclass, field

from classroom.envvars import BACKEND_ENV, BROKER_ENV


@dataclass
class Broker:
    mode: str                      # "memory" | "redis" | "rabbitmq"
    url: str
    backend: str
    reason: str                    # one line for the learner: which mode and why
    started: list = field(default_factory=list)  # processes the runner started for it

    @property
    def in_process(self) -> bool:
        return self.mode == "memory"

    def env(self) -> dict[str, str]:
        return {BROKER_ENV: self.url, BACKEND_ENV: self.backend}

    def stop(self) -> None:
        for service in self.started:     # managed processes (a local redis-server)
            service.stop()
        self.started.clear()
