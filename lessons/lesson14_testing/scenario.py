"""What `python runner.py lesson 14` plays. Each step runs a real pytest session (sample_tests/),
bounded, and shows what happened to each test, read from the session's JUnit XML report."""
from __future__ import annotations

import importlib.util
from importlib.metadata import entry_points

from classroom.lessonkit import Scenario, bounds

from .pytest_session import broker_env, run_pytest

scenario = Scenario()
LIES = ("test_unique_tags_returns_a_set", "test_total_with_a_chord", "test_flaky_payment_is_retried",
        "test_receipt_after_placing_an_order")
WHY = {  # what each lie's real run must fail with: the worker, the broker or the backend said it
    "test_unique_tags_returns_a_set": "EncodeError",
    "test_total_with_a_chord": 'The "rpc" result backend does not support chords',
    "test_flaky_payment_is_retried": "TimeoutError",
    "test_receipt_after_placing_an_order": "LookupError: order 1 not found",
}


def outcomes(run, key: str, session: dict) -> dict:
    """Record a session's outcome per test (without the long failure text) and say it, one line each."""
    tests = {name: {k: v for k, v in test.items() if k != "detail"} for name, test in session["tests"].items()}
    run.data[key] = {"exit": session["exit"], "seconds": session["seconds"], "tests": tests}
    return tests


def say_tests(run, tests: dict) -> None:
    """One line per test: its mark, name, outcome (in the learner's language) and seconds."""
    words = {"passed": run.text("passed"), "failed": run.text("failed"), "error": run.text("error"),
             "skipped": run.text("skipped")}
    for name, test in tests.items():
        mark = {"passed": "✓", "skipped": "-"}.get(test["outcome"], "✗")
        run.echo(f"{mark} {name}  {words.get(test['outcome'], test['outcome'])} ({test['seconds']:.2f} s)")
        if test["message"]:
            run.echo(f"    {test['message']}")


def tidy_queue(run) -> None:
    """RabbitMQ keeps the tests' queue after the run: delete it (Redis: the run's clean-up does)."""
    run.delete_queue(f"{run.run_id}.tests")


@scenario.step()
def fixtures(run):
    plugins = sorted(f"{ep.name} = {ep.value}" for ep in entry_points(group="pytest11"))
    env = broker_env(run)
    # -o addopts= drops sample_tests/pytest.ini's "-p celery.contrib.pytest": the plugin is off
    off = run_pytest(run, "no-plugin", ["-o", "addopts=", "test_fixtures.py"], env)
    on = run_pytest(run, "plugin", ["test_fixtures.py"], env)
    tidy_queue(run)
    run.data["pytest11"] = plugins
    run.say("entry_points", plugins=", ".join(plugins) or "-")
    run.say("without_plugin")
    without = outcomes(run, "without_plugin", off)
    say_tests(run, without)
    run.say("with_plugin")
    with_it = outcomes(run, "with_plugin", on)
    say_tests(run, with_it)
    test = "test_add_on_a_real_worker"
    run.expect(not any("celery.contrib" in p for p in plugins), "no_entry_point")
    run.expect(without.get(test, {}).get("outcome") == "error"
               and "fixture 'celery_app' not found" in off["tests"][test]["detail"], "not_found_without")
    run.expect(with_it.get(test, {}).get("outcome") == "passed" and on["exit"] == 0, "ran_with",
               seconds=with_it.get(test, {}).get("seconds", 0))


@scenario.step(
    deadline_s=2 * bounds.COMMAND_RUN_S,
)
def eager_lies(run):
    env = broker_env(run)
    eager = run_pytest(run, "eager", ["test_eager_lies.py"], {**env, "CELERY_TASK_ALWAYS_EAGER": "1"})
    # the same file on a real worker (celery_session_worker), on the lesson's broker
    real = run_pytest(run, "real", ["test_eager_lies.py"], env)
    tidy_queue(run)
    run.say("eager_header")
    lied = outcomes(run, "eager", eager)
    say_tests(run, lied)
    run.say("real_header")
    truth = outcomes(run, "real", real)
    say_tests(run, truth)
    run.expect(len(lied) == 5 and all(t["outcome"] == "passed" for t in lied.values()), "all_pass_eagerly",
               count=sum(t["outcome"] == "passed" for t in lied.values()))
    for name, why in WHY.items():
        run.expect(truth.get(name, {}).get("outcome") == "failed" and why in real["tests"][name]["detail"],
                   "fails_for_real", name=name, why=why)
    run.expect(truth.get("test_a_set_argument_is_refused", {}).get("outcome") == "passed", "set_refused")


@scenario.step()
def mock_delay(run):
    # no broker given: none is needed
    views = run_pytest(run, "views", ["test_views.py"])
    tests = outcomes(run, "views", views)
    say_tests(run, tests)
    run.expect(len(tests) == 2 and all(t["outcome"] == "passed" for t in tests.values()), "views_pass")


@scenario.step()
def pytest_celery(run):
    installed = importlib.util.find_spec("pytest_celery") is not None
    docker_ok, docker_said = run.docker_engine()
    listed = run_pytest(run, "fixtures", ["--fixtures", "test_fixtures.py"])
    has_setup = "celery_setup" in listed["log"] or any("celery_setup" in t.get("detail", "") for t in listed["tests"].values())
    run.data.update(installed=installed, docker=docker_ok, celery_setup_fixture=has_setup)
    run.say("installed" if installed else "not_installed", docker=docker_said)
    if not (installed and docker_ok):
        run.say("not_run_here")
    run.expect(has_setup == installed, "setup_listed" if installed else "setup_absent")
