"""`doctor` messages."""

MESSAGES = {
    "doctor.title": {"en": "Celery Classroom doctor", "zh": "Celery 课堂环境检查"},
    "doctor.running": {"en": "Checking…", "zh": "正在检查…"},
    "doctor.col_check": {"en": "check", "zh": "检查项"},
    "doctor.col_ok": {"en": "ok", "zh": "结果"},
    "doctor.col_detail": {"en": "detail", "zh": "详情"},
    "doctor.col_fix": {"en": "fix", "zh": "解决办法"},
    "doctor.python": {"en": "Python ≥ 3.9", "zh": "Python ≥ 3.9"},
    "doctor.fix_python": {"en": "Install Python 3.9 or newer.", "zh": "请安装 Python 3.9 或更新版本。"},
    "doctor.package": {"en": "package {name}", "zh": "依赖包 {name}"},
    "doctor.missing": {"en": "missing", "zh": "缺失"},
    "doctor.fix_install": {"en": "run: pip install -r requirements.txt", "zh": "请运行：pip install -r requirements.txt"},
    "doctor.redis": {"en": "Redis on 127.0.0.1:6379 (optional)", "zh": "127.0.0.1:6379 上的 Redis（可选）"},
    "doctor.rabbitmq": {"en": "RabbitMQ on 127.0.0.1:5672 (optional)", "zh": "127.0.0.1:5672 上的 RabbitMQ（可选）"},
    "doctor.redis_binary": {"en": "redis-server program (optional)", "zh": "redis-server 程序（可选）"},
    "doctor.fix_redis_binary": {
        "en": "Optional: with it, --broker redis starts its own Redis (Debian/Ubuntu: sudo apt install redis-server).",
        "zh": "可选：有了它，--broker redis 会自己启动 Redis（Debian/Ubuntu：sudo apt install redis-server）。",
    },
    "doctor.lesson": {"en": "lesson {n} imports", "zh": "第 {n} 课可以导入"},
    "doctor.fix_lesson": {"en": "Fix the error above; try: python -c \"import {module}\"",
                          "zh": "修复上面的错误；试试：python -c \"import {module}\""},
    "doctor.all_ok": {"en": "Everything needed is in place. Optional items marked ✗ only limit the modes you can use.",
                      "zh": "所需的一切都已就绪。标记为 ✗ 的可选项只会限制你能使用的模式。"},
    "doctor.some_failed": {"en": "{n} required check(s) failed: see the fix column.",
                           "zh": "{n} 项必需的检查未通过：请查看“解决办法”一列。"},
}
