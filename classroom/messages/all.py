"""`all` messages."""

MESSAGES = {
    "cli.cmd_all": {"en": "play every lesson in order, then show a table of the results",
                    "zh": "按顺序运行所有课程，最后用表格列出结果"},
    "cli.cmd_all_long": {
        "en": "Play every lesson in order, each in its own process with the same broker options, then show "
              "a table (lesson, mode, result, seconds). Exit code 1 if any lesson failed.",
        "zh": "按顺序运行所有课程，每课在单独的进程里运行，使用相同的消息代理选项，最后显示一张表格"
              "（课程、模式、结果、秒数）。只要有一课失败，退出码就是 1。",
    },
    "cli.opt_report_all": {"en": "also write the table and every lesson's JSON report to FILE",
                           "zh": "同时把表格和每一课的 JSON 报告写入 FILE"},
    "all.playing": {"en": "Lesson {n} of {total}", "zh": "第 {n} 课（共 {total} 课）"},
    "all.title": {"en": "All lessons", "zh": "全部课程"},
    "all.title_mode": {"en": "All lessons ({mode} mode)", "zh": "全部课程（{mode} 模式）"},
    "all.col_lesson": {"en": "lesson", "zh": "课程"},
    "all.col_mode": {"en": "mode", "zh": "模式"},
    "all.col_result": {"en": "result", "zh": "结果"},
    "all.col_seconds": {"en": "seconds", "zh": "秒"},
    "all.total": {"en": "total", "zh": "合计"},
    "all.passed": {"en": "passed {passed}/{total}", "zh": "通过 {passed}/{total}"},
    "all.skipped": {"en": " ({n} skipped)", "zh": "（跳过 {n} 步）"},
    "all.failed": {"en": "FAILED {passed}/{total}", "zh": "失败 {passed}/{total}"},
    "all.error": {"en": "FAILED (exit code {code}, see above)", "zh": "失败（退出码 {code}，见上文）"},
    "all.timeout": {"en": "STOPPED after {seconds:.0f} s", "zh": "超过 {seconds:.0f} 秒，已停止"},
    "all.summary_ok": {"en": "All {n} lessons behaved as they say, in {seconds:.1f} s.",
                       "zh": "全部 {n} 课都与讲解一致，用时 {seconds:.1f} 秒。"},
    "all.summary_failed": {"en": "Some lessons failed: {lessons}. Replay one with: python runner.py lesson N",
                           "zh": "有课程失败：{lessons}。可以单独重新运行其中一课：python runner.py lesson N"},
}
