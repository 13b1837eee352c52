"""The dashboard (lesson 8, `top`) and Flower (`flower`)."""

MESSAGES = {
    "dash.workers": {"en": "Workers", "zh": "Worker"},
    "dash.worker": {"en": "worker", "zh": "worker"},
    "dash.online": {"en": "online", "zh": "在线"},
    "dash.active": {"en": "active", "zh": "执行中"},
    "dash.processed": {"en": "done", "zh": "已完成"},
    "dash.states": {"en": "Tasks by state", "zh": "各状态的任务数"},
    "dash.recent": {"en": "Last tasks", "zh": "最近的任务"},
    "dash.task": {"en": "task", "zh": "任务"},
    "dash.state": {"en": "state", "zh": "状态"},
    "dash.runtime": {"en": "runtime", "zh": "耗时"},
}

MESSAGES.update({
    "cli.cmd_top": {"en": "a live dashboard of the workers on a broker (Ctrl+C quits)",
                    "zh": "消息代理上各 worker 的实时面板（按 Ctrl+C 退出）"},
    "cli.cmd_top_long": {
        "en": "Watch the workers on your broker live: who is online, what runs, tasks by state, the last "
              "tasks with their runtimes. Built on Celery's events (app.events.Receiver and State), like "
              "`celery events` and Flower; it asks every worker to send events (enable_events). "
              "Start workers first, e.g. python runner.py worker 8 --broker redis. Ctrl+C quits.",
        "zh": "实时查看消息代理上的 worker：谁在线、在执行什么、各状态的任务数、最近任务及其耗时。"
              "它基于 Celery 的事件（app.events.Receiver 和 State），和 `celery events`、Flower 一样；"
              "它会让每个 worker 开始发送事件（enable_events）。先启动 worker，例如 "
              "python runner.py worker 8 --broker redis。按 Ctrl+C 退出。"},
    "cli.opt_top_seconds": {"en": "stop by itself after S seconds (default: run until Ctrl+C)",
                            "zh": "S 秒后自动结束（默认：一直运行，直到按 Ctrl+C）"},
    "top.memory": {
        "en": "top watches workers in other processes, and memory:// never leaves one process. "
              "Use Redis or RabbitMQ: python runner.py top --broker redis",
        "zh": "top 观察的是其他进程里的 worker，而 memory:// 出不了它所在的进程。"
              "请使用 Redis 或 RabbitMQ：python runner.py top --broker redis"},
    "top.no_events": {"en": "Could not read events from {url}: {error}",
                      "zh": "无法从 {url} 读取事件：{error}"},
    "top.watching": {"en": "Watching the events on {url}. Ctrl+C quits.",
                     "zh": "正在观察 {url} 上的事件。按 Ctrl+C 退出。"},
    "top.title": {"en": "Workers (python runner.py top)", "zh": "各个 worker（python runner.py top）"},
    "top.nobody": {
        "en": "No worker sent an event. Start one (python runner.py worker 8 --broker redis) in another terminal; "
              "a worker sends events when started with -E or after enable_events.",
        "zh": "没有任何 worker 发来事件。请在另一个终端里启动一个（python runner.py worker 8 --broker redis）；"
              "worker 用 -E 启动，或收到 enable_events 之后，才会发送事件。"},
    "cli.cmd_flower": {"en": "run Flower on 127.0.0.1 with a password for your workers (Ctrl+C stops it)",
                       "zh": "为你的 worker 在 127.0.0.1 上运行带密码的 Flower（按 Ctrl+C 停止）"},
    "cli.cmd_flower_long": {
        "en": "Start Flower (celery -A <lesson app> flower) bound to 127.0.0.1 with HTTP basic auth, for the "
              "workers on your broker, and keep it running until Ctrl+C. The user is 'classroom'; the "
              "password is generated and printed once, unless you give --password (or set "
              "CLASSROOM_FLOWER_PASSWORD). Start workers first: python runner.py worker 8 --broker redis.",
        "zh": "为你消息代理上的 worker 启动 Flower（celery -A <课程 app> flower），只绑定 127.0.0.1 并启用 HTTP "
              "基本认证，一直运行到按 Ctrl+C 为止。用户名是 'classroom'；密码自动生成并只打印一次，除非你用 "
              "--password 指定（或设置 CLASSROOM_FLOWER_PASSWORD）。先启动 worker：python runner.py worker 8 --broker redis。"},
    "cli.arg_flower_lesson": {"en": "the lesson whose app Flower loads (default: 8)",
                              "zh": "Flower 加载哪一课的 app（默认：8）"},
    "cli.opt_flower_port": {"en": "the port on 127.0.0.1 (default: a free one)",
                            "zh": "127.0.0.1 上的端口（默认：任选一个空闲端口）"},
    "cli.opt_flower_password": {"en": "the password for the user 'classroom' (default: a generated one; "
                                      "CLASSROOM_FLOWER_PASSWORD keeps it out of ps, as the runner keeps it out "
                                      "of Flower's command line)",
                                "zh": "用户 'classroom' 的密码（默认：自动生成；用 CLASSROOM_FLOWER_PASSWORD 传入则 ps 看不到它，"
                                      "runner 也不会把它放在 Flower 的命令行上）"},
    "flower.memory": {
        "en": "Flower is another process, and memory:// never leaves one process. "
              "Use Redis or RabbitMQ: python runner.py flower --broker redis",
        "zh": "Flower 是另一个进程，而 memory:// 出不了它所在的进程。"
              "请使用 Redis 或 RabbitMQ：python runner.py flower --broker redis"},
    "flower.not_installed": {
        "en": "Flower is not installed in this Python environment. Install the course's requirements: "
              "pip install -r requirements.txt",
        "zh": "当前 Python 环境里没有安装 Flower。请安装本课程的依赖：pip install -r requirements.txt"},
    "flower.comma": {
        "en": "The Flower password cannot contain a comma: Flower reads FLOWER_BASIC_AUTH as a comma-separated "
              "list of user:password pairs. Choose another password.",
        "zh": "Flower 的密码里不能有逗号：Flower 把 FLOWER_BASIC_AUTH 当作以逗号分隔的 用户名:密码 列表来读。"
              "请换一个密码。"},
    "flower.starting": {"en": "Starting Flower…", "zh": "正在启动 Flower…"},
    "flower.ready": {
        "en": "Flower is up for the app {app}: {url}\nuser: {user}   password: {password}\n"
              "It listens on 127.0.0.1 only and asks for this password. Ctrl+C stops it.",
        "zh": "Flower 已为 app {app} 启动：{url}\n用户名：{user}   密码：{password}\n"
              "它只监听 127.0.0.1，并且需要这个密码。按 Ctrl+C 停止。"},
    "flower.no_workers": {
        "en": "No worker answers on this broker yet, so Flower shows \"No workers are available\". "
              "Start one in another terminal: {command}",
        "zh": "这个消息代理上还没有 worker 应答，所以 Flower 会显示 \"No workers are available\"。"
              "请在另一个终端里启动一个：{command}"},
    "flower.exited": {"en": "Flower stopped by itself. Its log ends with:\n{tail}",
                      "zh": "Flower 自己退出了。它的日志最后几行是：\n{tail}"},
    "flower.stopped": {"en": "Flower stopped.", "zh": "Flower 已停止。"},
})
