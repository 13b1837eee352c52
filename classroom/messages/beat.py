"""Beat messages."""

MESSAGES = {
    "session.starting_beat": {"en": "Starting celery beat…", "zh": "正在启动 celery beat…"},
    "beat.not_started": {
        "en": "Beat {name} did not start within {seconds:.0f} s (exit code {code}). Its log ({log}) ends with:\n{tail}",
        "zh": "beat {name} 没有在 {seconds:.0f} 秒内启动（退出码 {code}）。它的日志（{log}）最后几行是：\n{tail}",
    },
}
