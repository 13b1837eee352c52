"""`doctor` messages."""

MESSAGES = {
    "doctor.title": {"en": "Celery Classroom doctor", "zh": "Celery 课堂环境检查"},
    "doctor.running": {"en": "Checking…", "zh": "正在检查…"},
    "doctor.python": {"en": "Python {oldest}-{newest}", "zh": "Python {oldest}-{newest}"},
    "doctor.fix_python": {
        "en": "Fix: make a venv with Python {oldest}-{newest} (e.g. python3.12 -m venv .venv), then "
              "pip install -r requirements.txt. Celery 5.7 needs Python 3.10 or newer.",
        "zh": "解决办法：用 Python {oldest}-{newest} 创建虚拟环境（例如 python3.12 -m venv .venv），再运行 "
              "pip install -r requirements.txt。Celery 5.7 需要 Python 3.10 或更新版本。",
    },
    "doctor.python_untested": {"en": "{found}: newer than {newest}, the newest the course is tested on",
                               "zh": "{found}：比课程测试过的最新版本 {newest} 更新"},
    "doctor.requirements": {"en": "requirements.txt", "zh": "requirements.txt"},
    "doctor.fix_requirements": {
        "en": "doctor reads the versions the course needs from requirements.txt beside runner.py: restore it "
              "(git checkout requirements.txt) or clone the course again.",
        "zh": "doctor 从 runner.py 旁边的 requirements.txt 读取课程需要的版本：请恢复它（git checkout requirements.txt），"
              "或重新克隆课程。",
    },
    "doctor.package": {"en": "package {name}", "zh": "依赖包 {name}"},
    "doctor.missing": {"en": "missing", "zh": "缺失"},
    "doctor.outside": {"en": "{version}, the course needs {wanted}", "zh": "{version}，课程需要 {wanted}"},
    "doctor.fix_package": {"en": "Fix: pip install \"{requirement}\" (or pip install -r requirements.txt)",
                           "zh": "解决办法：pip install \"{requirement}\"（或 pip install -r requirements.txt）"},
    "doctor.fix_celery": {
        "en": "{name} {version} is too old: the lessons show Celery 5.7 and kombu 5.7 behaviour, and on 5.6 "
              "beat and the timing lessons fail. Celery 5.7 and kombu 5.7 need Python 3.10 or newer.",
        "zh": "{name} {version} 太旧：课程演示的是 Celery 5.7 和 kombu 5.7 的行为，在 5.6 上 beat 和与时间"
              "有关的几课会失败。Celery 5.7 和 kombu 5.7 需要 Python 3.10 或更新版本。",
    },
    "doctor.redis": {"en": "Redis on 127.0.0.1:6379 (optional)", "zh": "127.0.0.1:6379 上的 Redis（可选）"},
    "doctor.rabbitmq": {"en": "RabbitMQ on 127.0.0.1:5672 (optional)", "zh": "127.0.0.1:5672 上的 RabbitMQ（可选）"},
    "doctor.redis_binary": {"en": "redis-server program (optional)", "zh": "redis-server 程序（可选）"},
    "doctor.fix_redis_binary": {
        "en": "Optional: with it, --broker redis starts its own Redis (Debian/Ubuntu: sudo apt install redis-server).",
        "zh": "可选：有了它，--broker redis 会自己启动 Redis（Debian/Ubuntu：sudo apt install redis-server）。",
    },
    "doctor.lesson": {"en": "lesson {n} imports", "zh": "第 {n} 课可以导入"},
    "doctor.fix_lesson": {"en": "Fix the error above; to repeat it, from the course folder: {command}",
                          "zh": "修复上面的错误；要复现它，在课程目录下运行：{command}"},
    "doctor.stale": {"en": "course workers/beat left running", "zh": "残留的课程 worker/beat 进程"},
    "doctor.none": {"en": "none", "zh": "没有"},
    "doctor.fix_stale": {
        "en": "Started outside this runner (or left by a killed one); it may take your tasks. Stop it: kill {pid}",
        "zh": "它不是本次 runner 启动的（或是被强制结束的 runner 遗留的），可能会抢走你的任务。停止它：kill {pid}",
    },
    "doctor.port": {"en": "port {port} ({what})", "zh": "端口 {port}（{what}）"},
    "doctor.port_used_by": {"en": "in use by {who}", "zh": "被 {who} 占用"},
    "doctor.port_free": {"en": "free", "zh": "空闲"},
    "doctor.pool": {"en": "worker pools on this platform", "zh": "本平台可用的 worker 池"},
    "doctor.pool_ok": {"en": "prefork works: time limits are enforced", "zh": "prefork 可用：时间限制会被强制执行"},
    "doctor.pool_windows": {
        "en": "Windows: no prefork, so workers use the threads pool and time limits are ignored",
        "zh": "Windows：没有 prefork，worker 使用 threads 池，时间限制会被忽略",
    },
    "doctor.fix_pool_windows": {
        "en": "For time limits use WSL or Docker (Linux); everything else works here.",
        "zh": "如需时间限制，请使用 WSL 或 Docker（Linux）；其他功能在这里都能正常使用。",
    },
    "doctor.all_ok": {"en": "Everything needed is in place. Optional items marked ⏭ are skipped: they only limit the "
                            "modes you can use; ! is worth a look.",
                      "zh": "所需的一切都已就绪。标记为 ⏭ 的可选项被跳过：它们只会限制你能使用的模式；标记为 ! 的值得看一眼。"},
    "doctor.some_failed": {"en": "{n} required check(s) failed (✗): each says its fix below it.",
                           "zh": "{n} 项必需的检查未通过（✗）：每一项下面都写了解决办法。"},
}
