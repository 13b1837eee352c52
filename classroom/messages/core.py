"""Runner, broker, worker and wait messages."""

MESSAGES = {
    # --- command line ---
    "cli.description": {
        "en": "Celery Classroom: numbered, runnable Celery lessons on a real worker.\n"
              "Every call is bounded by a timeout, so nothing hangs; every process it starts is stopped.",
        "zh": "Celery 课堂：一套按编号排列、可以直接运行的 Celery 课程，运行在真实的 worker 上。\n"
              "每个调用都有超时上限，绝不会卡住；它启动的每个进程都会被停止。",
    },
    "cli.epilog": {
        "en": "Start here:  python runner.py lesson 1      (memory mode needs no Docker and no server)\n"
              "Brokers:     --broker auto|memory|redis|rabbitmq, or --broker-url URL (env CLASSROOM_BROKER_URL)\n"
              "Language:    --lang zh|en (env CLASSROOM_LANG; default from the locale)\n"
              "Exit codes:  0 ok, 1 a step or check failed, 2 bad command line, 3 no broker, 130 interrupted",
        "zh": "从这里开始： python runner.py lesson 1      （内存模式无需 Docker，也无需任何服务器）\n"
              "消息代理：   --broker auto|memory|redis|rabbitmq，或 --broker-url URL（环境变量 CLASSROOM_BROKER_URL）\n"
              "语言：       --lang zh|en（环境变量 CLASSROOM_LANG；默认取自系统区域设置）\n"
              "退出码：     0 成功，1 有步骤或检查失败，2 命令行有误，3 没有可用的消息代理，130 被中断",
    },
    "cli.commands": {"en": "commands", "zh": "命令"},
    "cli.opt_answers": {"en": "also show the answers to the notes' \"Try this\" questions",
                        "zh": "同时显示讲义中“动手试试”各题的答案"},
    "notes.answers_hidden": {"en": "Answers to \"Try this\" are hidden ({count}): python runner.py notes {number} --answers shows them.",
                             "zh": "“动手试试”的答案已隐藏（{count} 个）：python runner.py notes {number} --answers 可以显示它们。"},
    "cli.opt_record": {"en": "also write the whole run, as shown, to FILE: .svg, .html or .txt (by its extension)",
                       "zh": "同时把整个运行过程（和屏幕上显示的一样）写入 FILE：.svg、.html 或 .txt（按扩展名）"},
    "cli.record_format": {"en": "Cannot record to {path}: the file name must end in one of {formats}.",
                          "zh": "无法记录到 {path}：文件名必须以 {formats} 之一结尾。"},
    "cli.recorded": {"en": "Recorded this run to {path}", "zh": "本次运行已记录到 {path}"},
    "cli.record_failed": {"en": "Could not write the recording {path}: {error}", "zh": "无法写入记录文件 {path}：{error}"},
    "cli.opt_lang": {"en": "language of all messages: zh or en", "zh": "所有提示信息的语言：zh 或 en"},
    "cli.opt_debug": {"en": "show Python tracebacks (they always go to the log file)",
                      "zh": "显示 Python 回溯信息（回溯总会写入日志文件）"},
    "cli.opt_broker": {
        "en": "auto (default): Redis if one answers on 127.0.0.1:6379 (or the runner's Docker Redis), else Redis "
              "started in Docker when Docker is usable, else memory; memory: no server, worker inside the runner; "
              "redis / rabbitmq: a real broker (a running one, or one the runner starts, in Docker if it can)",
        "zh": "auto（默认）：127.0.0.1:6379 上有 Redis 应答（或 runner 在 Docker 中运行的 Redis）就用它，"
              "否则在 Docker 可用时用 Docker 启动 Redis，再不行就用内存模式；memory：不需要服务器，worker 运行在 runner 进程内；"
              "redis / rabbitmq：真实的消息代理（已在运行的，或由 runner 启动的，能用 Docker 时就在 Docker 中启动）",
    },
    "cli.opt_broker_worker": {
        "en": "auto (default) or redis: Redis on 127.0.0.1:6379 (or the runner's Docker Redis, or one started in "
              "Docker); rabbitmq: RabbitMQ. Not memory: a worker in its own terminal cannot share memory://",
        "zh": "auto（默认）或 redis：127.0.0.1:6379 上的 Redis（或 runner 的 Docker Redis，或在 Docker 中启动的）；"
              "rabbitmq：RabbitMQ。不能用 memory：单独终端里的 worker 无法共享 memory://",
    },
    "cli.opt_student": {
        "en": "a learner's namespace in a room where everyone shares one broker (default: $CLASSROOM_STUDENT): "
              "your worker, env, top and flower see only your tasks and workers",
        "zh": "全班共用一个消息代理时，学员自己的命名空间（默认取 $CLASSROOM_STUDENT）：你的 worker、env、top "
              "和 flower 只看到你自己的任务和 worker",
    },
    "student.bad_name": {
        "en": "{name!r} cannot name a learner's namespace: use up to 32 letters, digits, '-', '_' or '.', "
              "starting with a letter or digit (e.g. --student alice).",
        "zh": "{name!r} 不能用作学员命名空间的名字：最多 32 个字母、数字、'-'、'_' 或 '.'，并以字母或数字开头"
              "（例如 --student alice）。",
    },
    "student.redis": {
        "en": "Learner namespace {name}: every Redis key starts with {prefix} (others in the room do not see it).",
        "zh": "学员命名空间 {name}：每个 Redis 键都以 {prefix} 开头（同班其他人看不到它）。",
    },
    "student.vhost": {
        "en": "Learner namespace {name}: your own RabbitMQ vhost {vhost} (others in the room do not see it).",
        "zh": "学员命名空间 {name}：你自己的 RabbitMQ vhost {vhost}（同班其他人看不到它）。",
    },
    "student.shared": {
        "en": "Learner namespace {name}: the runner could not make a vhost on {url} (no management API, or "
              "the user is not an administrator). Control and events are yours alone, but queues are shared: "
              "ask your teacher for a vhost, or to enable the management plugin (docs/teachers.md).",
        "zh": "学员命名空间 {name}：runner 无法在 {url} 上创建 vhost（没有管理 API，或该用户不是管理员）。"
              "控制命令和事件只属于你，但队列是共用的：请老师给你一个 vhost，或者启用管理插件（docs/teachers.zh-CN.md）。",
    },
    "cli.opt_broker_url": {"en": "use this broker, e.g. redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//",
                           "zh": "使用这个消息代理，例如 redis://127.0.0.1:6379/0 或 amqp://guest:guest@127.0.0.1:5672//"},
    "cli.opt_report": {"en": "also write what really happened (steps, tasks, workers, times) as JSON to FILE",
                       "zh": "同时把实际发生的情况（步骤、任务、worker、时间）以 JSON 写入 FILE"},
    "cli.arg_lesson": {"en": "lesson number (see: python runner.py list)", "zh": "课程编号（见：python runner.py list）"},
    "cli.cmd_list": {"en": "list the lessons", "zh": "列出所有课程"},
    "cli.cmd_lesson": {"en": "play lesson N step by step on a real Celery worker",
                       "zh": "在真实的 Celery worker 上逐步运行第 N 课"},
    "cli.cmd_lesson_long": {
        "en": "Play lesson N: for each step, the code being run, what the real worker did (task id, state, "
              "result, worker, time) and a one-line explanation. Exit 0 when every step behaved as the lesson says.",
        "zh": "运行第 N 课：每一步都显示正在运行的代码、真实 worker 的执行情况（任务 id、状态、结果、worker、耗时）"
              "和一句解释。每一步都符合课程描述时退出码为 0。",
    },
    "cli.cmd_notes": {"en": "read lesson N's notes in the terminal", "zh": "在终端中阅读第 N 课的讲义"},
    "cli.cmd_worker": {"en": "run lesson N's worker in the foreground (for a second terminal)",
                       "zh": "在前台运行第 N 课的 worker（在第二个终端里用）"},
    "cli.cmd_worker_long": {
        "en": "Run lesson N's worker in the foreground with normal Celery logs, as you would in a second "
              "terminal; Ctrl+C stops it. Needs Redis or RabbitMQ: a worker in another process cannot see memory://.",
        "zh": "在前台运行第 N 课的 worker，显示正常的 Celery 日志，就像在第二个终端里手动运行一样；按 Ctrl+C 停止。"
              "需要 Redis 或 RabbitMQ：另一个进程中的 worker 看不到 memory://。",
    },
    "cli.opt_worker_name": {"en": "which of the lesson's workers (default: the first)",
                            "zh": "运行本课的哪个 worker（默认：第一个）"},
    "cli.cmd_doctor": {"en": "check Python, packages, brokers, Docker and lessons; suggest fixes",
                       "zh": "检查 Python、依赖包、消息代理、Docker 和课程，并给出修复建议"},
    "cli.bad_args": {"en": "Error: {detail}. Try: python runner.py --help",
                     "zh": "错误：{detail}。试试：python runner.py --help"},
    "cli.interrupted": {"en": "Interrupted: workers and brokers started by the runner have been stopped.",
                        "zh": "已中断：runner 启动的 worker 和消息代理都已停止。"},
    "cli.killed": {"en": "Second Ctrl+C: killed everything the runner started.",
                   "zh": "第二次 Ctrl+C：已强制结束 runner 启动的所有进程。"},
    "cli.crashed": {
        "en": "Unexpected error: {error}\nThe full traceback is in {log} (run with --debug to print it).",
        "zh": "意外错误：{error}\n完整的回溯信息在 {log}（加 --debug 参数可直接打印）。",
    },
    "paths.fallback": {
        "en": "Note: {wanted} is not writable, so logs and progress went to {used}.",
        "zh": "注意：{wanted} 不可写，日志和进度已改为保存到 {used}。",
    },
    # --- lessons ---
    "lesson.unknown": {
        "en": "There is no lesson {number!r}. Lessons: {valid}. See: python runner.py list",
        "zh": "没有第 {number!r} 课。现有课程：{valid}。查看：python runner.py list",
    },
    "list.title": {"en": "Celery Classroom lessons", "zh": "Celery 课堂课程列表"},
    "list.col_title": {"en": "Lesson", "zh": "课程"},
    "list.col_summary": {"en": "You will see", "zh": "你将看到"},
    "list.hint": {"en": "Play one: python runner.py lesson 1    Read its notes: python runner.py notes 1",
                  "zh": "运行一课：python runner.py lesson 1    阅读讲义：python runner.py notes 1"},
    "session.finding_broker": {"en": "Finding a broker…", "zh": "正在寻找消息代理…"},
    "session.starting_workers": {"en": "Starting {n} Celery worker(s) and waiting for them to answer a ping…",
                                 "zh": "正在启动 {n} 个 Celery worker，并等待它们响应 ping…"},
    "step.rpc_polling": {
        "en": "Watching a task's states needs a result backend that stores them (Redis). This run uses rpc://, "
              "where each state is one message for this client, taken by whichever wait consumes it first. "
              "See it with Redis results: python runner.py lesson N --broker rabbitmq (with Redis running) "
              "or --broker redis.",
        "zh": "观察任务状态的变化需要一个会保存状态的结果后端（Redis）。本次运行使用的是 rpc://，"
              "每个状态只是发给本客户端的一条消息，谁先消费就归谁。使用 Redis 保存结果即可看到："
              "python runner.py lesson N --broker rabbitmq（同时运行 Redis）或 --broker redis。",
    },
    "broker.reason_results": {"en": "Results are stored in {url}.", "zh": "结果存放在 {url}。"},
    "broker.reason_rpc": {
        "en": "Results travel back as messages (rpc://) because no Redis answers: each result can be read once, "
              "by this client only; chords and state polling need Redis.",
        "zh": "由于没有 Redis 应答，结果以消息形式返回（rpc://）：每个结果只能被本客户端读取一次；"
              "chord 和状态轮询需要 Redis。",
    },
    "step.crashed": {"en": "The step raised {error} (traceback in {log})",
                     "zh": "这一步抛出了异常 {error}（回溯信息在 {log}）"},
    # --- UI ---
    "ui.error_title": {"en": "Error", "zh": "错误"},
    "ui.more_help": {"en": "More help: {where}", "zh": "更多帮助：{where}"},
    "ui.lesson_title": {"en": "Lesson {n}: {title}", "zh": "第 {n} 课：{title}"},
    "ui.step_title": {"en": "Step {i}/{n}: {title}", "zh": "步骤 {i}/{n}：{title}"},
    "ui.workers_ready": {"en": "Workers ready: {workers}", "zh": "worker 已就绪：{workers}"},
    "ui.col_task": {"en": "task", "zh": "任务"},
    "ui.task_label": {"en": "{label}: {name}", "zh": "{label}：{name}"},
    "ui.col_id": {"en": "id", "zh": "id"},
    "ui.col_state": {"en": "state", "zh": "状态"},
    "ui.col_result": {"en": "result", "zh": "结果"},
    "ui.col_worker": {"en": "worker", "zh": "worker"},
    "ui.col_took": {"en": "took", "zh": "耗时"},
    "ui.no_timeline": {"en": "(no task events arrived, so there is no timeline)",
                       "zh": "（没有收到任务事件，因此无法绘制时间线）"},
    "ui.step_needs": {"en": "this step needs: {modes}", "zh": "这一步需要：{modes}"},
    "ui.skipped_in": {"en": "skipped in {mode} mode:", "zh": "在 {mode} 模式下跳过："},
    "ui.summary": {
        "en": "{passed}/{total} steps behaved as the lesson says ({skipped} skipped in this mode), {seconds:.1f} s",
        "zh": "{passed}/{total} 步与课程描述一致（本模式下跳过 {skipped} 步），用时 {seconds:.1f} 秒",
    },
    # --- brokers ---
    "broker.bad_mode": {"en": "Unknown broker mode {mode!r}. Choose one of: {modes}.",
                        "zh": "未知的消息代理模式 {mode!r}。可选：{modes}。"},
    "broker.bad_url": {
        "en": "{url!r} is not a broker URL the course can use. It must start with one of: {schemes} "
              "and name a host, e.g. redis://127.0.0.1:6379/0",
        "zh": "{url!r} 不是本课程可用的消息代理 URL。它必须以下列之一开头：{schemes}，"
              "并包含主机名，例如 redis://127.0.0.1:6379/0",
    },
    "broker.mode_mismatch": {"en": "--broker {mode} does not match the URL {url} (that is a {url_mode} URL).",
                             "zh": "--broker {mode} 与 URL {url} 不一致（这是一个 {url_mode} URL）。"},
    "broker.unreachable": {
        "en": "Cannot connect to the broker at {url}: nothing listens there.\n{fix}",
        "zh": "无法连接到 {url} 上的消息代理：那里没有任何程序在监听。\n{fix}",
    },
    "broker.silent": {
        "en": "Something accepts connections at {url} but never answers within a few seconds: a paused or hung "
              "server, a firewall, or a program that is not {what}.\nFix: check what listens there "
              "(python runner.py doctor names it), restart the server, or use another port.",
        "zh": "{url} 接受连接，但几秒内没有任何应答：服务器可能被暂停或卡住、被防火墙拦截，或者那里运行的根本不是 {what}。\n"
              "解决办法：查看是谁在监听该端口（python runner.py doctor 会列出），重启服务器，或换一个端口。",
    },
    "broker.login_refused": {
        "en": "The broker at {url} refused the login: wrong user or password.\nFix: correct them in the URL "
              "(amqp://USER:PASSWORD@host:5672/vhost). RabbitMQ's guest/guest works only from localhost; "
              "list the users with: rabbitmqctl list_users",
        "zh": "{url} 上的消息代理拒绝了登录：用户名或密码错误。\n解决办法：在 URL 中改正它们"
              "（amqp://用户:密码@主机:5672/vhost）。RabbitMQ 的 guest/guest 只能从本机登录；"
              "查看用户：rabbitmqctl list_users",
    },
    "broker.wrong_vhost": {
        "en": "RabbitMQ at {url} has no vhost {vhost!r}, or this user may not use it.\nFix: use the default vhost "
              "(a URL ending in //), or create it: rabbitmqctl add_vhost {vhost} and "
              "rabbitmqctl set_permissions -p {vhost} guest \".*\" \".*\" \".*\"",
        "zh": "{url} 上的 RabbitMQ 没有 vhost {vhost!r}，或者这个用户无权使用它。\n解决办法：使用默认 vhost"
              "（URL 以 // 结尾），或者创建它：rabbitmqctl add_vhost {vhost}，再执行 "
              "rabbitmqctl set_permissions -p {vhost} guest \".*\" \".*\" \".*\"",
    },
    "broker.wrong_db": {
        "en": "Redis at {url} has no database {db}: a Redis server has 16 by default (0-15).\nFix: use a database "
              "number from 0 to 15 in the URL (redis://host:6379/0), or raise `databases` in redis.conf.",
        "zh": "{url} 上的 Redis 没有编号为 {db} 的数据库：Redis 默认只有 16 个（0-15）。\n解决办法：在 URL 中使用 "
              "0 到 15 之间的数据库编号（redis://主机:6379/0），或者调大 redis.conf 里的 databases。",
    },
    "backend.unreachable": {
        "en": "The broker answers, but the result backend at {url} does not: nothing listens there.\n"
              "Results (get(), .state) are stored there, so no step could show one. Fix: start it, or choose "
              "another backend with CLASSROOM_RESULT_BACKEND (e.g. the broker's own Redis URL).",
        "zh": "消息代理有应答，但 {url} 上的结果后端没有：那里没有任何程序在监听。\n"
              "结果（get()、.state）都存放在那里，所以没有哪一步能显示结果。解决办法：启动它，或者用 "
              "CLASSROOM_RESULT_BACKEND 指定另一个后端（例如消息代理自己的 Redis URL）。",
    },
    "backend.silent": {
        "en": "The broker answers, but the result backend at {url} accepts connections and never answers "
              "(a paused server, a firewall, or not {what}).\nFix: check what listens there (python runner.py "
              "doctor), restart it, or set CLASSROOM_RESULT_BACKEND to another backend.",
        "zh": "消息代理有应答，但 {url} 上的结果后端接受连接却从不应答（服务器被暂停、被防火墙拦截，或者那里不是 {what}）。\n"
              "解决办法：查看是谁在监听（python runner.py doctor），重启它，或者把 CLASSROOM_RESULT_BACKEND 设为另一个后端。",
    },
    "backend.login_refused": {
        "en": "The broker answers, but the result backend at {url} refused the login: wrong user or password.\n"
              "Fix: correct them in CLASSROOM_RESULT_BACKEND (redis://:PASSWORD@host:6379/0).",
        "zh": "消息代理有应答，但 {url} 上的结果后端拒绝了登录：用户名或密码错误。\n"
              "解决办法：在 CLASSROOM_RESULT_BACKEND 中改正它们（redis://:密码@主机:6379/0）。",
    },
    "backend.wrong_db": {
        "en": "The broker answers, but the result backend at {url} has no database {db} (Redis has 0-15 by "
              "default).\nFix: use a database number from 0 to 15 in CLASSROOM_RESULT_BACKEND.",
        "zh": "消息代理有应答，但 {url} 上的结果后端没有编号为 {db} 的数据库（Redis 默认只有 0-15）。\n"
              "解决办法：在 CLASSROOM_RESULT_BACKEND 中使用 0 到 15 之间的数据库编号。",
    },
    "broker.fix_redis": {
        "en": "Fix: start Redis (Debian/Ubuntu: sudo apt install redis-server; macOS: brew install redis; "
              "Docker: docker run -d -p 127.0.0.1:6379:6379 redis:7), or use --broker memory.",
        "zh": "解决办法：启动 Redis（Debian/Ubuntu：sudo apt install redis-server；macOS：brew install redis；"
              "Docker：docker run -d -p 127.0.0.1:6379:6379 redis:7），或使用 --broker memory。",
    },
    "broker.fix_redis_port": {
        "en": "Fix: start Redis on port {port}: redis-server --port {port} (installed by sudo apt install "
              "redis-server or brew install redis), or in Docker: python runner.py up redis --port {port}; "
              "or use --broker memory.",
        "zh": "解决办法：在端口 {port} 上启动 Redis：redis-server --port {port}（用 sudo apt install redis-server "
              "或 brew install redis 安装），或者用 Docker：python runner.py up redis --port {port}；"
              "也可以使用 --broker memory。",
    },
    "broker.fix_rabbitmq_port": {
        "en": "Fix: start RabbitMQ on port {port} (Docker: python runner.py up rabbitmq --port {port}), "
              "or use --broker redis / --broker memory.",
        "zh": "解决办法：在端口 {port} 上启动 RabbitMQ（Docker：python runner.py up rabbitmq --port {port}），"
              "或使用 --broker redis / --broker memory。",
    },
    "broker.fix_rabbitmq": {
        "en": "Fix: start RabbitMQ (Debian/Ubuntu: sudo apt install rabbitmq-server; Docker: docker run -d "
              "-p 127.0.0.1:5672:5672 rabbitmq:3-management), or use --broker redis / --broker memory.",
        "zh": "解决办法：启动 RabbitMQ（Debian/Ubuntu：sudo apt install rabbitmq-server；Docker：docker run -d "
              "-p 127.0.0.1:5672:5672 rabbitmq:3-management），或使用 --broker redis / --broker memory。",
    },
    "broker.none_redis": {
        "en": "Redis mode, but no Redis answers on {url}, Redis could not be started in Docker, and there is no "
              "redis-server program to start. Docker said:\n{docker}\n"
              "Other ways: install Redis (Debian/Ubuntu: sudo apt install redis-server; macOS: brew install redis), "
              "pass --broker-url, or use --broker memory.",
        "zh": "选择了 Redis 模式，但 {url} 上没有 Redis 应答，无法在 Docker 中启动 Redis，本机也没有可启动的 "
              "redis-server 程序。Docker 的情况：\n{docker}\n"
              "其他办法：安装 Redis（Debian/Ubuntu：sudo apt install redis-server；macOS：brew install redis），"
              "或通过 --broker-url 指定，或使用 --broker memory。",
    },
    "broker.none_rabbitmq": {
        "en": "RabbitMQ mode, but nothing accepts guest/guest on {url} and RabbitMQ could not be started in Docker. "
              "Docker said:\n{docker}\n"
              "Other ways: install and start RabbitMQ (Debian/Ubuntu: sudo apt install rabbitmq-server), pass "
              "--broker-url amqp://USER:PASSWORD@HOST:5672//, or use --broker redis / --broker memory.",
        "zh": "选择了 RabbitMQ 模式，但 {url} 上没有服务接受 guest/guest 登录，也无法在 Docker 中启动 RabbitMQ。"
              "Docker 的情况：\n{docker}\n"
              "其他办法：安装并启动 RabbitMQ（Debian/Ubuntu：sudo apt install rabbitmq-server），或通过 "
              "--broker-url amqp://用户名:密码@主机:5672// 指定，或使用 --broker redis / --broker memory。",
    },
    "broker.local_redis_failed": {
        "en": "The runner started redis-server on port {port}, but it did not answer. Its log ({log}) ends with:\n{tail}",
        "zh": "runner 在端口 {port} 上启动了 redis-server，但它没有应答。它的日志（{log}）最后几行是：\n{tail}",
    },
    "broker.reason_memory_url": {"en": "Memory mode (memory:// from the URL): the worker runs inside this process.",
                                 "zh": "内存模式（URL 为 memory://）：worker 运行在当前进程内。"},
    "broker.reason_memory_flag": {"en": "Memory mode (--broker memory): no server needed; the worker runs inside this process.",
                                  "zh": "内存模式（--broker memory）：无需任何服务器，worker 运行在当前进程内。"},
    "broker.reason_auto_memory": {
        "en": "Memory mode: no Redis answers on {url} and Docker cannot start one ({why}), so the worker runs "
              "inside this process (python runner.py doctor says more).",
        "zh": "内存模式：{url} 上没有 Redis 应答，Docker 也无法启动 Redis（{why}），所以 worker 运行在当前进程内"
              "（python runner.py doctor 会给出详情）。",
    },
    "broker.reason_auto_redis": {"en": "Redis mode: a Redis answers on {url} (auto picks it; --broker memory needs no server).",
                                 "zh": "Redis 模式：{url} 上有 Redis 应答（auto 自动选择了它；--broker memory 不需要服务器）。"},
    "broker.reason_running": {"en": "Using the broker already running at {url}.",
                              "zh": "使用已在运行的消息代理：{url}。"},
    "broker.reason_url_flag": {"en": "Using the broker from --broker-url: {url}.", "zh": "使用 --broker-url 指定的消息代理：{url}。"},
    "broker.reason_url_env": {"en": "Using the broker from {env}: {url}.", "zh": "使用环境变量 {env} 指定的消息代理：{url}。"},
    "broker.reason_local_redis": {
        "en": "No Redis was running and Docker could not start one ({why}), so the runner started redis-server "
              "at {url}; it stops when the lesson ends.",
        "zh": "没有正在运行的 Redis，Docker 也无法启动 Redis（{why}），所以 runner 已在 {url} 启动 redis-server；"
              "课程结束时会自动停止。",
    },
    # --- workers ---
    "worker.exited": {
        "en": "Worker {name} exited (code {code}) before it was ready. Its log ({log}) ends with:\n{tail}",
        "zh": "worker {name} 在就绪前退出了（退出码 {code}）。它的日志（{log}）最后几行是：\n{tail}",
    },
    "worker.no_ping": {
        "en": "Worker {name} did not answer a ping within {seconds:.0f} s. Its log ({log}) ends with:\n{tail}",
        "zh": "worker {name} 在 {seconds:.0f} 秒内没有响应 ping。它的日志（{log}）最后几行是：\n{tail}",
    },
    "worker.died": {"en": "Worker {name} is no longer running. Its log ends with:\n{tail}",
                    "zh": "worker {name} 已不在运行。它的日志最后几行是：\n{tail}"},
    "worker.unknown_name": {"en": "This lesson has no worker named {name!r}. Its workers: {valid}.",
                            "zh": "本课没有名为 {name!r} 的 worker。本课的 worker：{valid}。"},
    "worker.memory_foreground": {
        "en": "A worker in its own terminal cannot use memory:// (memory messages never leave one process). "
              "Use Redis or RabbitMQ: python runner.py worker N --broker redis",
        "zh": "在单独终端里运行的 worker 不能使用 memory://（内存消息不会离开所在进程）。"
              "请使用 Redis 或 RabbitMQ：python runner.py worker N --broker redis",
    },
    "worker.plain_command": {
        "en": "This is the same as running, from {root}:\n  eval \"$({env})\"\n  {cmd}\n"
              "Ctrl+C stops the worker (warm shutdown). In another terminal, eval \"$({env})\" first: then "
              "celery -A ... and the notes' commands reach this broker.",
        "zh": "这相当于在 {root} 目录下运行：\n  eval \"$({env})\"\n  {cmd}\n"
              "按 Ctrl+C 停止 worker（热关闭）。在另一个终端里，先执行 eval \"$({env})\"："
              "这样 celery -A ... 和讲义里的命令都会连到这个消息代理。",
    },
    "worker.others": {
        "en": "This lesson runs {n} workers; start the others in more terminals, one each:\n{commands}",
        "zh": "这一课运行 {n} 个 worker；在其他终端里启动其余的，每个终端一个：\n{commands}",
    },
    # --- waits ---
    "wait.deadline": {"en": "Gave up after {seconds:.1f} s: no answer.", "zh": "{seconds:.1f} 秒后放弃：没有应答。"},
    "wait.broker_gone": {
        "en": "No result after {seconds:.1f} s, and the broker at {url} no longer answers. "
              "Is it still running? Check: python runner.py doctor",
        "zh": "{seconds:.1f} 秒后仍没有结果，而且 {url} 上的消息代理已不再应答。它还在运行吗？"
              "检查：python runner.py doctor",
    },
    "wait.no_worker": {
        "en": "No result after {seconds:.1f} s: no worker answers a ping, so nobody will run task {task_id}. "
              "Start one (python runner.py worker N) and check with: celery -A {module} inspect ping",
        "zh": "{seconds:.1f} 秒后仍没有结果：没有任何 worker 响应 ping，所以没人会执行任务 {task_id}。"
              "请启动一个 worker（python runner.py worker N），并用 celery -A {module} inspect ping 检查。",
    },
    "wait.no_consumer": {
        "en": "No result after {seconds:.1f} s: no worker consumes queue {queue!r} (they consume: {queues}). "
              "The message waits in the queue. Start a worker with -Q {queue}; check with: "
              "celery -A {module} inspect active_queues",
        "zh": "{seconds:.1f} 秒后仍没有结果：没有 worker 消费队列 {queue!r}（它们消费的是：{queues}）。"
              "消息正在队列里等待。请用 -Q {queue} 启动一个 worker；检查：celery -A {module} inspect active_queues",
    },
    "wait.not_registered": {
        "en": "No result after {seconds:.1f} s: no worker knows the task {task!r}. Is it imported by the worker's "
              "app? Check: celery -A {module} inspect registered",
        "zh": "{seconds:.1f} 秒后仍没有结果：没有 worker 认识任务 {task!r}。worker 的 app 导入了它吗？"
              "检查：celery -A {module} inspect registered",
    },
    "wait.still_running": {
        "en": "No result after {seconds:.1f} s: task {task_id} is {state} and the workers answer ({workers}), "
              "so it is slow or stuck, or results are not stored (ignore_result / no result backend).",
        "zh": "{seconds:.1f} 秒后仍没有结果：任务 {task_id} 的状态是 {state}，worker 都有应答（{workers}），"
              "所以它可能很慢或卡住了，或者结果没有被保存（ignore_result / 没有配置结果后端）。",
    },
}
