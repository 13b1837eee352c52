"""One exception type for every ordinary failure: it carries a bilingual message, not a traceback."""
from __future__ import annotations

from classroom.messages import t

# Exit codes the runner uses (documented in README "Commands").
EXIT_OK = 0
EXIT_FAILED = 1      # a step did not behave as the lesson says / a check failed
EXIT_USAGE = 2       # bad command line: unknown lesson, mode or URL
EXIT_BROKER = 3      # no broker could be had or it stopped answering
EXIT_INTERRUPTED = 130


class ClassroomError(Exception):
    """An error a learner can act on. `key` names a message; `values` fill it in."""

    exit_code = EXIT_FAILED

    def __init__(self, key: str, exit_code: int | None = None, **values: object) -> None:
        self.key = key
        self.values = values
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang=lang, **self.values)


class UsageError(ClassroomError):
    exit_code = EXIT_USAGE


class BrokerError(ClassroomError):
    exit_code = EXIT_BROKER


class WaitTimeout(ClassroomError):
    """A bounded wait ran out; the message names the seconds and the likely cause."""
