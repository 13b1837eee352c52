"""Messages of the `up`, `down` and `status` commands and of doctor's Docker rows."""

MESSAGES = {
    "cli.cmd_up": {"en": "start Redis and/or RabbitMQ in Docker and wait until they answer",
                   "zh": "在 Docker 中启动 Redis 和/或 RabbitMQ，并等待它们可以应答"},
    "cli.cmd_up_long": {
        "en": "Start the course's brokers in Docker: containers named celery-classroom-redis / -rabbitmq, "
              "published on 127.0.0.1 only. A running container is reused, a stopped one restarted. Ready means "
              "Redis answers PING / RabbitMQ accepts an AMQP login. Lessons then use them; `down` removes them.",
        "zh": "在 Docker 中启动本课程的消息代理：容器名为 celery-classroom-redis / -rabbitmq，端口只发布在 127.0.0.1 上。"
              "已在运行的容器会被复用，已停止的会被重新启动。“就绪”指 Redis 响应 PING、RabbitMQ 接受 AMQP 登录。"
              "之后课程会使用它们；`down` 会删除它们。",
    },
    "cli.arg_service": {"en": "which broker: redis, rabbitmq or all (default: {default})",
                        "zh": "哪个消息代理：redis、rabbitmq 或 all（默认：{default}）"},
    "cli.opt_port": {
        "en": "host port for the broker (default 6379 / 5672); RabbitMQ's management UI moves with it "
              "(--port 5673 puts it on 15673)",
        "zh": "消息代理在本机使用的端口（默认 6379 / 5672）；RabbitMQ 管理界面的端口随之移动"
              "（--port 5673 会把它放在 15673）",
    },
    "cli.cmd_down": {"en": "remove the broker containers the runner started (and nothing else)",
                     "zh": "删除 runner 启动的消息代理容器（不会动其他任何容器）"},
    "cli.cmd_status": {"en": "show Docker and the runner's broker containers",
                       "zh": "显示 Docker 以及 runner 的消息代理容器的状态"},
    "up.port_needs_service": {"en": "--port needs one broker: python runner.py up redis --port 6380",
                              "zh": "--port 只能用于一个消息代理：python runner.py up redis --port 6380"},
    "up.bad_port": {"en": "--port {port} is not a port number (1-65535).", "zh": "--port {port} 不是有效的端口号（1-65535）。"},
    "up.starting": {"en": "Starting {title} in Docker…", "zh": "正在 Docker 中启动 {title}…"},
    "up.ready_created": {"en": "✓ {title} is ready at {url} (container {name}, started in {seconds:.1f} s)",
                         "zh": "✓ {title} 已就绪：{url}（容器 {name}，启动用时 {seconds:.1f} 秒）"},
    "up.ready_started": {"en": "✓ {title} is ready at {url} (container {name} restarted, {seconds:.1f} s)",
                         "zh": "✓ {title} 已就绪：{url}（容器 {name} 已重新启动，用时 {seconds:.1f} 秒）"},
    "up.ready_reused": {"en": "✓ {title} is ready at {url} (container {name} was already running)",
                        "zh": "✓ {title} 已就绪：{url}（容器 {name} 本来就在运行）"},
    "up.management": {"en": "  Management UI: {url} (user guest, password guest)",
                      "zh": "  管理界面：{url}（用户名 guest，密码 guest）"},
    "up.next": {
        "en": "Lessons use it by themselves, e.g. python runner.py lesson 1 --broker {service}. "
              "It keeps running until: python runner.py down",
        "zh": "课程会自动使用它，例如 python runner.py lesson 1 --broker {service}。它会一直运行，直到你执行：python runner.py down",
    },
    "down.removed": {"en": "✓ removed {name}", "zh": "✓ 已删除 {name}"},
    "down.none": {"en": "No container of the runner to remove (none carries the label {label}).",
                  "zh": "没有需要删除的 runner 容器（没有容器带有标签 {label}）。"},
    "dstatus.title": {"en": "Brokers in Docker", "zh": "Docker 中的消息代理"},
    "dstatus.engine": {"en": "Docker engine: {what}", "zh": "Docker 引擎：{what}"},
    "dstatus.engine_ok": {"en": "Docker {version} (API {api}) at {where}", "zh": "Docker {version}（API {api}），地址 {where}"},
    "dstatus.col_container": {"en": "container", "zh": "容器"},
    "dstatus.col_state": {"en": "state", "zh": "状态"},
    "dstatus.col_address": {"en": "address", "zh": "地址"},
    "dstatus.col_answers": {"en": "answers", "zh": "可应答"},
    "dstatus.not_created": {"en": "not created (python runner.py up {service})", "zh": "尚未创建（python runner.py up {service}）"},
    "dstatus.not_ours": {"en": "not the runner's: left alone", "zh": "不是 runner 创建的：不会去动它"},
    "dstatus.unusable": {"en": "Docker is not usable: {why}", "zh": "Docker 不可用：{why}"},
    "doctor.docker": {"en": "Docker engine (optional)", "zh": "Docker 引擎（可选）"},
    "doctor.docker_container": {"en": "Docker container {name}", "zh": "Docker 容器 {name}"},
    "doctor.fix_docker_not_ours": {"en": "A container the runner did not make has its name; remove it: docker rm -f {name}",
                                   "zh": "一个不是 runner 创建的容器占用了这个名字；删除它：docker rm -f {name}"},
}
