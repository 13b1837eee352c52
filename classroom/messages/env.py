"""`env`: the environment for a second terminal."""

MESSAGES = {
    "cli.cmd_env": {"en": "print the environment a second terminal needs to reach the same broker",
                    "zh": "输出第二个终端连接同一个消息代理所需的环境变量"},
    "cli.cmd_env_long": {
        "en": "Print CLASSROOM_BROKER_URL and CLASSROOM_RESULT_BACKEND for the broker the runner uses (its Docker "
              "Redis, --broker-url, RabbitMQ, ...), and lesson N's Celery settings. In a second terminal: "
              "eval \"$(python runner.py env N)\"; then celery -A ... and the notes' commands reach the same broker.",
        "zh": "输出 runner 所用消息代理（它的 Docker Redis、--broker-url、RabbitMQ 等）的 CLASSROOM_BROKER_URL 和 "
              "CLASSROOM_RESULT_BACKEND，以及第 N 课的 Celery 设置。在第二个终端里执行："
              "eval \"$(python runner.py env N)\"；之后 celery -A ... 和讲义里的命令都会连到同一个消息代理。",
    },
    "cli.arg_env_lesson": {"en": "lesson number: also its [celery] settings (optional)",
                           "zh": "课程编号：同时输出它的 [celery] 设置（可选）"},
    "cli.opt_shell": {"en": "the shell to print for: bash (also zsh), powershell or cmd",
                      "zh": "输出哪种 shell 的写法：bash（也适用于 zsh）、powershell 或 cmd"},
    "env.comment": {"en": "Celery Classroom: {reason}", "zh": "Celery 课堂：{reason}"},
    "env.how_bash": {"en": "Use it in this shell: eval \"$({command})\"",
                     "zh": "在当前 shell 中生效：eval \"$({command})\""},
    "env.how_powershell": {"en": "Use it in this shell: {command} | Invoke-Expression",
                           "zh": "在当前 shell 中生效：{command} | Invoke-Expression"},
    "env.how_cmd": {"en": "Use it: run the set lines above in this window",
                    "zh": "使用方法：在当前窗口中执行上面的 set 命令"},
    "env.memory": {
        "en": "Memory mode cannot be shared with a second terminal: memory:// messages never leave the runner's "
              "process. Use Redis or RabbitMQ: python runner.py env --broker redis",
        "zh": "内存模式无法与第二个终端共享：memory:// 的消息不会离开 runner 进程。"
              "请使用 Redis 或 RabbitMQ：python runner.py env --broker redis",
    },
    "env.nothing_running": {
        "en": "No Redis is running for a second terminal to share (the runner would start a redis-server only "
              "for itself). Start one that stays: python runner.py up redis, or sudo apt install redis-server",
        "zh": "没有正在运行、可供第二个终端共享的 Redis（runner 只会为自己临时启动 redis-server）。"
              "请启动一个常驻的：python runner.py up redis，或者 sudo apt install redis-server",
    },
}
