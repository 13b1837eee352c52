"""Services (beat, Flower, any command a lesson runs beside its workers)."""

MESSAGES = {
    "session.starting_services": {"en": "Starting {names}…", "zh": "正在启动 {names}…"},
    "beat.not_started": {
        "en": "Beat {name} did not start within {seconds:.0f} s (exit code {code}). Its log ({log}) ends with:\n{tail}",
        "zh": "beat {name} 没有在 {seconds:.0f} 秒内启动（退出码 {code}）。它的日志（{log}）最后几行是：\n{tail}",
    },
    "service.not_started": {
        "en": "The service {name} did not become ready within {seconds:.0f} s (exit code {code}). "
              "Its log ({log}) ends with:\n{tail}",
        "zh": "服务 {name} 没有在 {seconds:.0f} 秒内就绪（退出码 {code}）。它的日志（{log}）最后几行是：\n{tail}",
    },
    "service.port_taken": {
        "en": "Port {port} on 127.0.0.1 is already in use by {holder}, so {name} cannot listen there. "
              "The runner never stops what it did not start. Give another port (--port {free} is free now), "
              "or leave --port out and a free one is chosen.",
        "zh": "127.0.0.1 的端口 {port} 已被 {holder} 占用，所以 {name} 无法在那里监听。"
              "runner 绝不会停止不是它启动的程序。请换一个端口（现在 --port {free} 是空闲的），"
              "或者不写 --port，由 runner 自动选一个空闲端口。",
    },
    "service.unknown_kind": {
        "en": "lesson.toml names a service of kind {kind!r}, which the runner does not know. Kinds: {kinds}, "
              "or \"package.module:function\" for a factory of your own.",
        "zh": "lesson.toml 里有一个类型为 {kind!r} 的服务，runner 不认识它。可用的类型：{kinds}，"
              "或者用 \"包.模块:函数\" 指定你自己的工厂函数。",
    },
    "pytest.not_installed": {
        "en": "Lesson 14 runs pytest, which is not installed in this Python environment. Install the "
              "course's requirements again: pip install -r requirements.txt",
        "zh": "第 14 课要运行 pytest，但当前 Python 环境里没有安装它。请重新安装本课程的依赖：pip install -r requirements.txt"},
}
