"""Messages about beat and about pools that ignore time limits."""

MESSAGES = {
    "session.starting_beat": {"en": "Starting celery beat…", "zh": "正在启动 celery beat…"},
    "beat.not_started": {
        "en": "Beat {name} did not start within {seconds:.0f} s (exit code {code}). Its log ({log}) ends with:\n{tail}",
        "zh": "beat {name} 没有在 {seconds:.0f} 秒内启动（退出码 {code}）。它的日志（{log}）最后几行是：\n{tail}",
    },
    "worker.time_limits_ignored": {
        "en": "The {pool} pool ignores time limits: {tasks} will run past their time_limit/soft_time_limit "
              "here. Only the prefork pool enforces both (Linux/macOS; e.g. --broker redis).",
        "zh": "{pool} 池会忽略时间限制：这里的 {tasks} 会超过 time_limit/soft_time_limit 继续运行。"
              "只有 prefork 池两者都会执行（Linux/macOS；例如 --broker redis）。",
    },
}
