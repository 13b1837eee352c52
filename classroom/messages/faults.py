"""What went wrong, why, how to see it yourself and how to fix it (see docs/troubleshooting.md)."""

MESSAGES = {
    "explain.encode": {
        "en": "A task argument of type {type} cannot be sent as JSON ({detail}). Celery serializes arguments "
              "to send them to the worker: pass plain data (lists instead of sets, an id instead of an object).",
        "zh": "类型为 {type} 的任务参数无法以 JSON 发送（{detail}）。Celery 要把参数序列化后才能发给 worker："
              "请传递普通数据（用 list 代替 set，传对象的 id 而不是对象本身）。",
    },
    "explain.not_registered": {
        "en": "The worker does not know the task {task}: it is not imported by the worker's app (a typo in the "
              "name, or a module the worker does not load). The workers know: {known}. "
              "Check yourself: celery -A {module} inspect registered",
        "zh": "worker 不认识任务 {task}：worker 的 app 没有导入它（名字拼错了，或者 worker 没有加载那个模块）。"
              "worker 认识的任务有：{known}。自己检查：celery -A {module} inspect registered",
    },
    "explain.worker_lost": {
        "en": "The worker process running the task died (killed, out of memory or crashed): {detail}. "
              "The task is FAILURE with WorkerLostError. With acks_late=True and task_reject_on_worker_lost=True "
              "the message would go back to the queue instead (only safe for idempotent tasks).",
        "zh": "执行任务的 worker 进程意外退出了（被杀死、内存耗尽或崩溃）：{detail}。任务状态为 FAILURE，异常是 "
              "WorkerLostError。如果设置 acks_late=True 和 task_reject_on_worker_lost=True，消息会重新回到队列"
              "（只适用于幂等的任务）。",
    },
    "explain.time_limit": {
        "en": "The task ran past its time limit and was stopped ({type}: {detail}).",
        "zh": "任务运行超过了时间限制，已被终止（{type}：{detail}）。",
    },
    "explain.no_backend": {
        "en": "No result backend is configured, so no result will ever be stored ({detail}). "
              "Set result_backend (e.g. redis://127.0.0.1:6379/0) to read results.",
        "zh": "没有配置结果后端，所以永远不会保存任何结果（{detail}）。"
              "请设置 result_backend（例如 redis://127.0.0.1:6379/0）才能读取结果。",
    },
    "explain.chord_backend": {
        "en": "This result backend cannot run chords ({detail}). Chords need a backend that stores results "
              "for the callback to collect, such as Redis: use --broker redis.",
        "zh": "这个结果后端无法执行 chord（{detail}）。chord 需要一个能保存结果、供回调收集的后端，"
              "例如 Redis：请使用 --broker redis。",
    },
    "explain.content_disallowed": {
        "en": "The worker refused a message in a format it does not accept ({detail}). This course accepts JSON "
              "only (accept_content = ['json']): pickle lets whoever can write to the broker run code.",
        "zh": "worker 拒绝了一条格式不被接受的消息（{detail}）。本课程只接受 JSON（accept_content = ['json']）："
              "pickle 会让任何能写入消息代理的人在 worker 上执行代码。",
    },
    "explain.broker_lost": {
        "en": "The broker or result backend at {url} stopped answering ({detail}). Is it still running? "
              "Check: python runner.py doctor. The runner stopped the lesson and everything it started.",
        "zh": "{url} 上的消息代理或结果后端不再应答（{detail}）。它还在运行吗？检查：python runner.py doctor。"
              "runner 已停止本课，并停止了它启动的所有进程。",
    },
    "wait.ignored": {
        "en": "Task {task_id} has ignore_result=True, so its result is never stored: waiting would show PENDING "
              "forever. Remove ignore_result, or don't wait for this task.",
        "zh": "任务 {task_id} 设置了 ignore_result=True，它的结果永远不会被保存：等待它只会一直看到 PENDING。"
              "去掉 ignore_result，或者不要等待这个任务。",
    },
    "wait.unknown_id": {
        "en": "No result after {seconds:.1f} s: no task with id {task_id} was sent here and no worker has it. "
              "PENDING means 'unknown' in Celery: a mistyped or expired id looks exactly like a waiting task.",
        "zh": "{seconds:.1f} 秒后仍没有结果：这里从未发送过 id 为 {task_id} 的任务，也没有 worker 持有它。"
              "在 Celery 里 PENDING 的意思是“未知”：拼错或已过期的 id 看起来和正在等待的任务一模一样。",
    },
    "wait.worker_died": {
        "en": "Worker {name} died (exit code {code}) while the runner waited. With early acknowledgement (the "
              "default) the tasks it had started were acked and are lost: they read STARTED (task_track_started) "
              "or PENDING, forever. Tasks it had only reserved were not acked and go back to the queue: on "
              "RabbitMQ when the connection drops, on Redis after visibility_timeout. Its log ends with:\n{tail}",
        "zh": "在 runner 等待期间，worker {name} 意外退出了（退出码 {code}）。在默认的提前确认（early ack）模式下，"
              "它已经开始执行的任务已被确认，因此丢失：状态会一直是 STARTED（task_track_started）或 PENDING。"
              "它只是预留、尚未确认的任务会回到队列：RabbitMQ 在连接断开时，Redis 在 visibility_timeout 之后。"
              "它的日志最后几行是：\n{tail}",
    },
    "session.queue_taken": {
        "en": "Another worker ({others}) already consumes queue(s) {queues} on {url}: probably another runner or "
              "a worker you started by hand. Its tasks and this lesson's would mix. Stop it, or use a separate "
              "vhost: --broker-url amqp://guest:guest@127.0.0.1:5672/<vhost>",
        "zh": "{url} 上已经有另一个 worker（{others}）在消费队列 {queues}：可能是另一个 runner，或者是你手动启动的"
              " worker。它的任务会和本课的任务混在一起。请先停掉它，或使用单独的 vhost："
              "--broker-url amqp://guest:guest@127.0.0.1:5672/<vhost>",
    },
    "session.own_vhost": {
        "en": "This run has a vhost of its own, deleted at the end: {vhost} (rabbitmqctl list_queues -p {vhost}).",
        "zh": "这次运行有自己的 vhost，结束时删除：{vhost}（rabbitmqctl list_queues -p {vhost}）。",
    },
    "session.queue_locked": {
        "en": "Another run of the runner already holds queue(s) {queues} on {url} (it started at the same "
              "time, and this runner could not make a vhost of its own there). Its tasks and this lesson's "
              "would mix. Wait until it ends, or use a separate vhost: "
              "--broker-url amqp://guest:guest@127.0.0.1:5672/<vhost>",
        "zh": "{url} 上的队列 {queues} 已被另一个 runner 占用（它几乎同时启动，而本 runner 无法在那里创建自己的 "
              "vhost）。它的任务会和本课的任务混在一起。请等它结束，或使用单独的 vhost："
              "--broker-url amqp://guest:guest@127.0.0.1:5672/<vhost>",
    },
    "session.time_limit_ignored": {
        "en": "Warning: {task} has a time limit, but the {pool} pool cannot enforce it: it will run to the end. "
              "Time limits need the prefork pool: python runner.py lesson N --broker redis",
        "zh": "警告：{task} 设置了时间限制，但 {pool} 池无法强制执行它：任务会一直运行到结束。"
              "时间限制需要 prefork 池：python runner.py lesson N --broker redis",
    },
    "worker.import_failed": {
        "en": "The worker could not import {module}. Run celery from the repository root ({root}) with the full "
              "module path, and fix any error in that file. Celery said:\n{tail}",
        "zh": "worker 无法导入 {module}。请在仓库根目录（{root}）下用完整的模块路径运行 celery，"
              "并修正该文件中的错误。Celery 的输出是：\n{tail}",
    },
    "worker.queue_mismatch": {
        "en": "RabbitMQ refused the queue {queue!r}: it already exists with other arguments (durable, "
              "auto_delete, x-max-priority), probably left by an older version of this lesson or by another "
              "program. RabbitMQ never changes a queue's arguments. If nothing else uses it, delete it and "
              "play again: rabbitmqctl delete_queue {queue} (or its vhost: -p VHOST). RabbitMQ said:\n{tail}",
        "zh": "RabbitMQ 拒绝了队列 {queue!r}：同名队列已经存在，但参数不同（durable、auto_delete、x-max-priority），"
              "多半是本课的旧版本或别的程序留下的。RabbitMQ 从不修改已有队列的参数。如果没有别的程序在用它，"
              "删掉后重新播放：rabbitmqctl delete_queue {queue}（或指定它的 vhost：-p VHOST）。RabbitMQ 的原话是：\n{tail}",
    },
}
