"""What `python runner.py lesson 14` plays. Each step runs a real pytest session (sample_tests/),
bounded, and shows what happened to each test, read from the session's JUnit XML report."""
from __future__ import annotations

import importlib.util
from importlib.metadata import entry_points

from classroom.brokers import docker_status
from classroom.player.scenario import Scenario
from classroom.runtime import bounds, waits

from .pytest_session import broker_env, forget_queue, run_pytest

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


OUTCOME_ZH = {"passed": "通过", "failed": "失败", "error": "出错", "skipped": "跳过"}


def say_tests(run, tests: dict) -> None:
    for name, test in tests.items():
        mark = {"passed": "✓", "skipped": "-"}.get(test["outcome"], "✗")
        run.say({"en": f"{mark} {name}  {test['outcome']} ({test['seconds']:.2f} s)",
                 "zh": f"{mark} {name}  {OUTCOME_ZH.get(test['outcome'], test['outcome'])}（{test['seconds']:.2f} 秒）"})
        if test["message"]:
            run.say(f"    {test['message']}")


def tidy_queue(run) -> None:
    """RabbitMQ keeps the tests' queue after the run: delete it (Redis: the run's clean-up does)."""
    waits.call_with_deadline(lambda: forget_queue(run.app, f"{run.session.run_id}.tests"),
                             bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S)


@scenario.step(
    title={"en": "celery.contrib.pytest: celery_app and celery_worker, once the plugin is on",
           "zh": "celery.contrib.pytest：启用插件之后的 celery_app 与 celery_worker"},
    explain={"en": "Celery 5 ships the fixtures in celery.contrib.pytest but registers no pytest plugin "
                   "entry point: turn it on with -p celery.contrib.pytest, pytest_plugins in conftest.py, "
                   "or install pytest-celery. celery_app is a fresh app per test (memory:// unless "
                   "celery_config says otherwise); celery_worker starts a real worker in a thread of the "
                   "test process (solo pool) and pings it before the test begins.",
             "zh": "Celery 5 在 celery.contrib.pytest 里带了这些 fixture，却没有注册 pytest 插件入口："
                   "要用 -p celery.contrib.pytest、conftest.py 里的 pytest_plugins，或者安装 pytest-celery 来启用它。"
                   "celery_app 每个测试一个新 app（除非 celery_config 另有设置，否则用 memory://）；"
                   "celery_worker 在测试进程的一个线程里启动真正的 worker（solo 池），测试开始前先 ping 它。"},
)
def fixtures(run):
    plugins = sorted(f"{ep.name} = {ep.value}" for ep in entry_points(group="pytest11"))
    env = broker_env(run.session)
    # -o addopts= drops sample_tests/pytest.ini's "-p celery.contrib.pytest": the plugin is off
    off = run_pytest(run.session, "no-plugin", ["-o", "addopts=", "test_fixtures.py"], env)
    on = run_pytest(run.session, "plugin", ["test_fixtures.py"], env)
    tidy_queue(run)
    run.data["pytest11"] = plugins
    run.say({"en": f"pytest11 entry points here: {plugins or 'none'}", "zh": f"这里的 pytest11 入口：{plugins or '没有'}"})
    run.say({"en": "without the plugin (-o addopts=):", "zh": "不启用插件（-o addopts=）："})
    without = outcomes(run, "without_plugin", off)
    say_tests(run, without)
    run.say({"en": "with -p celery.contrib.pytest (sample_tests/pytest.ini):",
             "zh": "加上 -p celery.contrib.pytest（sample_tests/pytest.ini）："})
    with_it = outcomes(run, "with_plugin", on)
    say_tests(run, with_it)
    test = "test_add_on_a_real_worker"
    run.expect(not any("celery.contrib" in p for p in plugins),
               {"en": "Celery 5 registers no pytest11 entry point of its own", "zh": "Celery 5 自己没有注册 pytest11 入口"})
    run.expect(without.get(test, {}).get("outcome") == "error" and "fixture 'celery_app' not found" in off["tests"][test]["detail"],
               {"en": "without the plugin: error, fixture 'celery_app' not found",
                "zh": "不启用插件：报错 fixture 'celery_app' not found"})
    run.expect(with_it.get(test, {}).get("outcome") == "passed" and on["exit"] == 0,
               {"en": f"with it: add(2, 3) ran on a real worker in {with_it.get(test, {}).get('seconds', 0):.2f} s "
                      "(the worker's start and stop included)",
                "zh": f"启用之后：add(2, 3) 在真正的 worker 上运行，用时 {with_it.get(test, {}).get('seconds', 0):.2f} 秒"
                      "（包括 worker 的启动和停止）"})


@scenario.step(
    title={"en": "task_always_eager lies: the same tests, eager and on a real worker",
           "zh": "task_always_eager 会骗人：同样的测试，eager 与真正的 worker"},
    explain={"en": "Eager mode runs the task inside .delay(), in the caller's thread, with no broker, no "
                   "worker and no result backend. So a result that is not JSON, a chord on a backend that "
                   "cannot do chords, a retry's countdown and a row the caller has not committed yet all "
                   "pass eagerly. Since Celery 4.3 eager .delay() does serialize the arguments (celery#4008): a set argument "
                   "fails both ways (the last test).",
             "zh": "eager 模式在 .delay() 里面、在调用者的线程中执行任务，没有消息代理、没有 worker、也没有结果后端。"
                   "所以不是 JSON 的结果、在不支持 chord 的后端上用 chord、重试的 countdown、"
                   "调用者还没提交的数据行，在 eager 下统统能通过。从 Celery 4.3 起，eager 的 .delay() 确实会序列化参数（celery#4008）："
                   "set 参数两种方式都会失败（最后一个测试）。"},
    deadline_s=2 * bounds.COMMAND_RUN_S,
)
def eager_lies(run):
    env = broker_env(run.session)
    eager = run_pytest(run.session, "eager", ["test_eager_lies.py"], {**env, "CELERY_TASK_ALWAYS_EAGER": "1"})
    # the same file on a real worker (celery_session_worker), on the lesson's broker
    real = run_pytest(run.session, "real", ["test_eager_lies.py"], env)
    tidy_queue(run)
    run.say({"en": "CELERY_TASK_ALWAYS_EAGER=1 (task_always_eager=True):", "zh": "CELERY_TASK_ALWAYS_EAGER=1（task_always_eager=True）："})
    lied = outcomes(run, "eager", eager)
    say_tests(run, lied)
    run.say({"en": "on a real worker (celery_session_worker):", "zh": "在真正的 worker 上（celery_session_worker）："})
    truth = outcomes(run, "real", real)
    say_tests(run, truth)
    run.expect(len(lied) == 5 and all(t["outcome"] == "passed" for t in lied.values()),
               {"en": f"eagerly: {sum(t['outcome'] == 'passed' for t in lied.values())} of 5 passed",
                "zh": f"eager：5 个中通过 {sum(t['outcome'] == 'passed' for t in lied.values())} 个"})
    for name, why in WHY.items():
        run.expect(truth.get(name, {}).get("outcome") == "failed" and why in real["tests"][name]["detail"],
                   {"en": f"real worker: {name} failed with {why}", "zh": f"真正的 worker：{name} 失败，原因是 {why}"})
    run.expect(truth.get("test_a_set_argument_is_refused", {}).get("outcome") == "passed",
               {"en": "a set argument raises EncodeError both ways (eager serializes arguments)",
                "zh": "set 参数两种方式都抛出 EncodeError（eager 会序列化参数）"})


@scenario.step(
    title={"en": "Mocking .delay: test the code that sends a task, without a worker",
           "zh": "mock .delay：不用 worker，测试发送任务的代码"},
    explain={"en": "A view (here a plain function, checkout) only has to send the right task with the "
                   "right arguments, at the right moment. unittest.mock.patch.object(task, 'delay') "
                   "replaces the call: no broker, no worker, only the view's own time. A side_effect can check the "
                   "moment too: is the order committed when the task is sent? Test the task itself on a "
                   "worker, separately.",
             "zh": "一个视图（这里是一个普通函数 checkout）只需要在正确的时刻、用正确的参数发送正确的任务。"
                   "unittest.mock.patch.object(task, 'delay') 替换掉这次调用：不需要消息代理，不需要 worker，只花视图自己的时间。"
                   "side_effect 还能检查时刻：发送任务时订单提交了吗？任务本身另外在 worker 上测试。"},
)
def mock_delay(run):
    # no broker given: none is needed
    views = run_pytest(run.session, "views", ["test_views.py"])
    tests = outcomes(run, "views", views)
    say_tests(run, tests)
    run.expect(len(tests) == 2 and all(t["outcome"] == "passed" for t in tests.values()),
               {"en": "both view tests passed with .delay mocked", "zh": "mock 掉 .delay 后，两个视图测试都通过"})


@scenario.step(
    title={"en": "pytest-celery: the Docker-based plugin, and what it needs",
           "zh": "pytest-celery：基于 Docker 的插件，以及它需要什么"},
    explain={"en": "pytest-celery 1.x (pip install 'pytest-celery>=1,<2') starts the broker, the backend and "
                   "the worker each in a container (fixtures celery_setup, celery_worker_cluster, ...): "
                   "smoke tests against the real thing. It needs a Docker engine, broker images such as "
                   "redis and rabbitmq, and a worker image it builds from its Dockerfile (pip install "
                   "celery inside), so a registry or those images loaded beforehand. Installing it also "
                   "turns on celery.contrib.pytest.",
             "zh": "pytest-celery 1.x（pip install 'pytest-celery>=1,<2'）把消息代理、结果后端和 worker 各放进一个容器"
                   "（fixture 有 celery_setup、celery_worker_cluster 等）：对真实环境做冒烟测试。"
                   "它需要 Docker 引擎、redis 和 rabbitmq 这类消息代理镜像，以及一个按它的 Dockerfile 构建的 worker 镜像"
                   "（里面要 pip install celery），所以需要镜像仓库，或者事先载入这些镜像。安装它也会启用 celery.contrib.pytest。"},
)
def pytest_celery(run):
    installed = importlib.util.find_spec("pytest_celery") is not None
    docker_ok, docker_said, _fix = docker_status.engine()
    listed = run_pytest(run.session, "fixtures", ["--fixtures", "test_fixtures.py"])
    has_setup = "celery_setup" in listed["log"] or any("celery_setup" in t.get("detail", "") for t in listed["tests"].values())
    run.data.update(installed=installed, docker=docker_ok, celery_setup_fixture=has_setup)
    run.say({"en": f"pytest-celery installed: {installed}; Docker: {docker_said}",
             "zh": f"是否已安装 pytest-celery：{'是' if installed else '否'}；Docker：{docker_said}"})
    if not (installed and docker_ok):
        run.say({"en": "not run here. It needs: pip install 'pytest-celery>=1,<2', a Docker engine, "
                       "and the images it starts (or a registry to pull them from)",
                 "zh": "这里不运行。它需要：pip install 'pytest-celery>=1,<2'、Docker 引擎，"
                       "以及它要启动的镜像（或者能拉取镜像的仓库）"})
    run.expect(has_setup == installed,
               {"en": f"pytest --fixtures {'lists' if installed else 'has no'} celery_setup: "
                      f"pytest-celery is {'' if installed else 'not '}installed",
                "zh": f"pytest --fixtures {'列出了' if installed else '没有'} celery_setup："
                      f"pytest-celery {'已' if installed else '未'}安装"})
