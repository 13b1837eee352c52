"""Checks for exercise 14: python runner.py check 14.

Each check runs the student's file as a real pytest session (bounded, JUnit XML report) with
celery.contrib.pytest and this module as plugins: the fixtures below give the tests a real worker
on the check's broker (or task_always_eager) and a buggy or a fixed place_order.
"""
import os
import sys
from pathlib import Path

import pytest

from classroom.lessonkit import ROOT, Checker, bounds

SAMPLES = Path(__file__).resolve().parent.parent / "sample_tests"
CODE_ENV = "EX14_PLACE_ORDER"           # "buggy" or "fixed"
EAGER_ENV = "CELERY_TASK_ALWAYS_EAGER"
checker = Checker()
_sessions: dict = {}                    # (code, eager) -> outcome per test, run once per check run


# --- the pytest plugin: what the student's tests get -------------------------------------------

def _shop():
    if str(SAMPLES) not in sys.path:
        sys.path.insert(0, str(SAMPLES))
    import shop
    return shop


@pytest.fixture(scope="session")
def celery_config():
    config = {"broker_url": os.environ.get("TEST_BROKER_URL", "memory://"),
              "result_backend": os.environ.get("TEST_RESULT_BACKEND", "cache+memory://"),
              "task_default_queue": os.environ.get("TEST_QUEUE", "tests"),
              "broker_connection_timeout": 2, "broker_connection_retry_on_startup": False,
              "broker_transport_options": {"socket_timeout": 3, "socket_connect_timeout": 2,
                                           "polling_interval": 0.05, "max_retries": 1},
              "result_expires": 300, "task_always_eager": os.environ.get(EAGER_ENV) == "1"}
    if os.environ.get("TEST_KEYPREFIX"):
        config["broker_transport_options"]["global_keyprefix"] = os.environ["TEST_KEYPREFIX"]
    return config


@pytest.fixture
def worker(request, celery_session_app):
    if os.environ.get(EAGER_ENV) == "1":
        return None
    return request.getfixturevalue("celery_session_worker")


@pytest.fixture
def shop(tmp_path, monkeypatch, celery_session_app):
    module = _shop()
    monkeypatch.setattr(module, "DB_PATH", str(tmp_path / "shop.sqlite3"))
    return module


@pytest.fixture
def place_order(shop):
    return shop.place_order if os.environ.get(CODE_ENV) == "buggy" else shop.place_order_fixed


# --- the checks --------------------------------------------------------------------------------

def session_of(ctx, code: str, eager: bool = False) -> dict:
    """The student's tests in one pytest session, on a real worker (or eagerly), against `code`."""
    key = (code, eager)
    if key not in _sessions:
        from lessons.lesson14_testing.pytest_session import broker_env, run_pytest
        env = {**broker_env(ctx.run), CODE_ENV: code, **({EAGER_ENV: "1"} if eager else {})}
        plugins = ["-p", "celery.contrib.pytest", "-p", __name__, "-o", "addopts=", "-o", "python_files=*.py"]
        ran = run_pytest(ctx.run, f"ex14-{code}{'-eager' if eager else ''}", plugins + [ctx.file], env, cwd=ROOT)
        ctx.run.delete_queue(env["TEST_QUEUE"])
        _sessions[key] = ran
        ctx.data[f"{code}{'_eager' if eager else ''}"] = {n: t["outcome"] for n, t in ran["tests"].items()}
    return _sessions[key]["tests"]


def said(test: dict | None, lang: str = "en") -> str:
    if test is None:
        return {"en": "no such test in your file (did pytest collect it?)",
                "zh": "你的文件里没有这个测试（pytest 收集到它了吗？）"}[lang]
    return test["outcome"] + (f": {test['message']}" if test["message"] else "")


DEADLINE = bounds.COMMAND_RUN_S + 5


@checker.check({"en": "test_receipt_is_sent fails on a real worker against the buggy place_order",
                "zh": "在真正的 worker 上，test_receipt_is_sent 针对有 bug 的 place_order 会失败"}, deadline_s=DEADLINE)
def catches_the_bug(ctx):
    test = session_of(ctx, "buggy").get("test_receipt_is_sent")
    ctx.expect(test is not None and test["outcome"] == "failed",
               {"en": "your test to fail: the receipt task cannot find the uncommitted order",
                "zh": "你的测试失败：收据任务找不到还没提交的订单"},
               {"en": f"it {said(test)} (does it check the result the worker returns?)",
                "zh": f"结果是 {said(test, 'zh')}（它检查 worker 返回的结果了吗？）"})


@checker.check({"en": "test_receipt_is_sent passes on a real worker against the fixed place_order",
                "zh": "在真正的 worker 上，test_receipt_is_sent 针对修好的 place_order 会通过"}, deadline_s=DEADLINE)
def passes_when_fixed(ctx):
    test = session_of(ctx, "fixed").get("test_receipt_is_sent")
    ctx.expect(test is not None and test["outcome"] == "passed",
               {"en": "your test to pass once the task is sent after the commit", "zh": "任务在提交之后发送时，你的测试通过"},
               {"en": f"it {said(test)}", "zh": f"结果是 {said(test, 'zh')}"})


@checker.explain({"en": "EAGER_OUTCOME says what your test does under task_always_eager against the buggy code",
                  "zh": "EAGER_OUTCOME 说出了你的测试在 task_always_eager 下针对有 bug 的代码的结果"}, deadline_s=DEADLINE)
def eager_outcome(ctx):
    answer = getattr(ctx.module, "EAGER_OUTCOME", None)
    test = session_of(ctx, "buggy", eager=True).get("test_receipt_is_sent")
    real = test["outcome"] if test else None
    ctx.data.update(answer=answer, eager=real)
    ctx.expect(answer == real, {"en": f"EAGER_OUTCOME == {real!r}, what pytest just reported",
                                "zh": f"EAGER_OUTCOME == {real!r}，也就是 pytest 刚才报告的结果"},
               {"en": f"EAGER_OUTCOME is {answer!r}; eagerly your test {said(test)}",
                "zh": f"EAGER_OUTCOME 是 {answer!r}；eager 下你的测试结果是 {said(test, 'zh')}"})


@checker.stretch({"en": "stretch: test_sent_after_commit catches the bug with .delay mocked, no worker",
                  "zh": "附加挑战：test_sent_after_commit 在 mock 掉 .delay、没有 worker 的情况下发现这个 bug"},
                 deadline_s=DEADLINE)
def mocked(ctx):
    buggy = session_of(ctx, "buggy").get("test_sent_after_commit")
    fixed = session_of(ctx, "fixed").get("test_sent_after_commit")
    ctx.expect(bool(buggy and fixed) and (buggy["outcome"], fixed["outcome"]) == ("failed", "passed"),
               {"en": "failed against the buggy place_order, passed against the fixed one",
                "zh": "针对有 bug 的 place_order 失败，针对修好的通过"},
               {"en": f"buggy: {said(buggy)}; fixed: {said(fixed)}", "zh": f"有 bug 的：{said(buggy, 'zh')}；修好的：{said(fixed, 'zh')}"})
