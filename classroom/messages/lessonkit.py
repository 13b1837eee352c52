"""The lesson kit's own words: why a step does not run in a mode, and a step stopped at its deadline."""

MESSAGES = {
    "kit.needs.processes": {
        "en": "This step needs real worker processes (signals, kills, pool processes). In memory mode the "
              "worker is a thread inside the runner's own process.",
        "zh": "这一步需要真实的 worker 进程（信号、kill、池进程）。内存模式下 worker 只是 runner 自己进程里的一个线程。",
    },
    "kit.needs.prefork": {
        "en": "This step needs the prefork pool (child processes). Memory mode runs the threads pool.",
        "zh": "这一步需要 prefork 池（子进程）。内存模式运行的是 threads 池。",
    },
    "kit.needs.redis": {
        "en": "This step shows a behaviour of the Redis transport.",
        "zh": "这一步展示的是 Redis 传输层的行为。",
    },
    "kit.needs.rabbitmq": {
        "en": "This step shows a behaviour of RabbitMQ (AMQP).",
        "zh": "这一步展示的是 RabbitMQ（AMQP）的行为。",
    },
    "kit.see_it": {"en": "See it: {command}", "zh": "要看到它，请运行：{command}"},
    "kit.step_overrun": {
        "en": "Step {index} ({name}) ran past its bound of {seconds:g} s and was stopped; the lesson ends "
              "here. A worker may be stuck or gone: look at its log (python runner.py doctor helps).",
        "zh": "第 {index} 步（{name}）超过了 {seconds:g} 秒的时限，已被停止；本课到此结束。"
              "可能有 worker 卡住或已退出：请查看它的日志（python runner.py doctor 可以帮忙）。",
    },
    "kit.server.busy": {
        "en": "Another run on this machine is changing this RabbitMQ server's settings right now. A setting of "
              "the whole server is changed by one run at a time (a second one would restore the first one's "
              "value); this step shows it when no other run is doing so.",
        "zh": "本机上另一个运行正在修改这台 RabbitMQ 服务器的设置。整台服务器的设置一次只由一个运行修改"
              "（第二个运行会把第一个运行改过的值当作原值恢复）；没有其他运行在改时，这一步才会演示它。",
    },
    "kit.server.not_rabbitmq": {
        "en": "This step changes a setting of the RabbitMQ server; this run's broker is not RabbitMQ.",
        "zh": "这一步要修改 RabbitMQ 服务器的一项设置；本次运行的消息代理不是 RabbitMQ。",
    },
    "kit.server.not_local": {
        "en": "This step changes a setting of the RabbitMQ server for a moment; the runner does so only on a "
              "server on this machine, and this one is on {host}.",
        "zh": "这一步要临时修改 RabbitMQ 服务器的一项设置；runner 只改本机上的服务器，而这台在 {host} 上。",
    },
    "kit.server.no_rabbitmqctl": {
        "en": "This step changes a setting of the local RabbitMQ server with rabbitmqctl, which is not on the PATH.",
        "zh": "这一步要用 rabbitmqctl 修改本机 RabbitMQ 服务器的一项设置，但 PATH 里没有 rabbitmqctl。",
    },
    "kit.server.no_answer": {
        "en": "This step changes a setting of the local RabbitMQ server with rabbitmqctl, which did not answer "
              "({error}); it usually needs the server's user or root.",
        "zh": "这一步要用 rabbitmqctl 修改本机 RabbitMQ 服务器的一项设置，但 rabbitmqctl 没有应答（{error}）；"
              "它通常需要以服务器的用户或 root 身份运行。",
    },
}
