"""Exercises: exercise, check, hint, reset, watch, progress (classroom/practice/)."""

MESSAGES = {
    "practice.stretch_met": {"en": "stretch goal met", "zh": "挑战目标已达成"},
    "practice.stretch_open": {"en": "stretch goal, optional: not met yet", "zh": "挑战目标（可选）：尚未达成"},
    "cli.opt_class": {"en": "a class: DIR holds one folder per student (each like exercises/); check exercise N "
                            "for each of them, side by side, and print one table. Exit code: 0 once every "
                            "student was checked, whatever they scored (the table and --csv say who passed); "
                            "2 not such a folder; 3 no broker",
                      "zh": "全班检查：DIR 里每个学生一个文件夹（结构和 exercises/ 一样）；并行检查每个学生的练习 N，"
                            "最后输出一张表。退出码：每个学生都检查完就是 0，不论成绩如何（谁通过了看表格和 --csv）；"
                            "2 表示不是这样的文件夹；3 表示没有消息代理"},
    "cli.opt_class_csv": {"en": "with --class: also write the table as CSV to FILE",
                          "zh": "与 --class 一起使用：同时把表格以 CSV 写入 FILE"},
    "cli.opt_class_jobs": {"en": "with --class or --all: how many checks run at once (--class: by default 2 per "
                                 "CPU core, at most 8; --all: by default 1, each shown as it runs; with more, "
                                 "only the table at the end)",
                           "zh": "与 --class 或 --all 一起使用：同时运行多少个检查（--class 默认每个 CPU 核心 2 个，"
                                 "最多 8 个；--all 默认 1 个，逐个显示过程；多于 1 个时只在最后输出表格）"},
    "practice.all_side_by_side": {"en": "Checking {n} exercises, {jobs} at a time (each on its own worker); the "
                                        "table follows when all are done.",
                                  "zh": "正在检查 {n} 个练习，每次同时检查 {jobs} 个（各自用自己的 worker）；"
                                        "全部完成后输出表格。"},
    "practice.class_one": {"en": "--class checks one exercise of every student: give its number, without "
                                 "--all, --solutions or --starters.",
                           "zh": "--class 用于检查每个学生的同一个练习：请给出练习编号，不要同时使用 --all、--solutions 或 --starters。"},
    "practice.class_empty": {"en": "{folder} is not a folder with one subfolder per student.",
                             "zh": "{folder} 不是一个“每个学生一个子文件夹”的目录。"},
    "practice.class_running": {"en": "Checking exercise {ex} for {n} students…", "zh": "正在为 {n} 个学生检查练习 {ex}…"},
    "practice.class_title": {"en": "Exercise {n}: {title}", "zh": "练习 {n}：{title}"},
    "practice.col_student": {"en": "student", "zh": "学生"},
    "practice.class_no_file": {"en": "no file", "zh": "没有文件"},
    "practice.class_summary": {"en": "{passed} of {n} students pass every check ({seconds:.1f} s in all).",
                               "zh": "{n} 个学生中有 {passed} 个通过了全部检查（共 {seconds:.1f} 秒）。"},
    "practice.class_summary_skipped": {
        "en": "{passed} of {n} students pass every check that ran ({seconds:.1f} s in all). Checks {skipped} "
              "cannot run in {mode} mode, for anyone (⏭): run it again with --broker redis to check them.",
        "zh": "{n} 个学生中有 {passed} 个通过了所有实际运行的检查（共 {seconds:.1f} 秒）。检查 {skipped} "
              "在 {mode} 模式下对所有人都无法运行（⏭）：用 --broker redis 再运行一次才能检查它们。"},
    "practice.legend_ok": {"en": "✓ passed", "zh": "✓ 通过"},
    "practice.legend_fail": {"en": "✗ failed", "zh": "✗ 未通过"},
    "practice.legend_skip": {"en": "⏭ cannot run in this mode", "zh": "⏭ 此模式下无法运行"},
    "practice.legend_notrun": {"en": "· not run (an earlier check failed)", "zh": "· 未运行（前面的检查没通过）"},
    "practice.legend_stretch_met": {"en": "★ stretch goal met", "zh": "★ 完成了挑战目标"},
    "practice.legend_stretch_open": {"en": "☆ stretch goal open", "zh": "☆ 挑战目标未完成"},
    "practice.class_error": {"en": "check {n}: {actual}", "zh": "检查 {n}：{actual}"},
    "practice.class_csv": {"en": "Table written to {path}", "zh": "表格已写入 {path}"},
    # --- command line ---
    "cli.cmd_exercise": {"en": "exercise N: what to do, the file to edit, how to check it",
                         "zh": "练习 N：要做什么、要编辑哪个文件、如何检查"},
    "cli.cmd_exercise_long": {
        "en": "Show exercise N: the task, the file you edit (created from the starter the first time) and its "
              "TODO markers. Check 1 is always \"your file imports\"; TODO N in the file belongs to check N "
              "of `python runner.py check N`, so the first TODO is TODO 2.",
        "zh": "显示练习 N：任务说明、你要编辑的文件（第一次运行时从初始文件复制生成）以及其中的 TODO 标记。"
              "第 1 项检查总是“你的文件能被导入”；文件里的 TODO N 对应 `python runner.py check N` 的第 N 项检查，"
              "所以第一个 TODO 是 TODO 2。",
    },
    "cli.arg_exercise": {"en": "exercise number (see: python runner.py list)", "zh": "练习编号（见：python runner.py list）"},
    "cli.cmd_check": {"en": "check exercise N on a real worker (exit 0 when every check passes)",
                      "zh": "在真实的 worker 上检查练习 N（全部检查通过时退出码为 0）"},
    "cli.cmd_check_long": {
        "en": "Run your exercise file on a real Celery worker and go through its numbered checks: ✓ passed, "
              "✗ failed (what was expected, what the worker really did), ○ not checked yet. Your file is only "
              "imported, never changed. Teachers: --all --solutions must pass, --all --starters must fail.",
        "zh": "在真实的 Celery worker 上运行你的练习文件，并逐项进行编号检查：✓ 通过，✗ 未通过（期望什么、"
              "worker 实际做了什么），○ 尚未检查。你的文件只会被导入，绝不会被修改。"
              "教师：--all --solutions 必须全部通过，--all --starters 必须全部失败。",
    },
    "cli.opt_all": {"en": "check every exercise", "zh": "检查所有练习"},
    "cli.opt_solutions": {"en": "check the reference solutions instead of your files (they must pass)",
                          "zh": "检查参考答案而不是你的文件（它们必须通过）"},
    "cli.opt_starters": {"en": "check the untouched starters (each must fail at the check its first TODO names)",
                         "zh": "检查未改动的初始文件（每个都必须在它第一个 TODO 指明的那项检查上失败）"},
    "cli.opt_check_report": {"en": "also write every check's steps and outcome as JSON to FILE",
                             "zh": "同时把每次检查的步骤和结果以 JSON 写入 FILE"},
    "cli.cmd_hint": {"en": "show the next hint for exercise N (one more each time)",
                     "zh": "显示练习 N 的下一条提示（每次多显示一条）"},
    "cli.cmd_reset": {"en": "restore exercise N's starter file (your version is backed up first)",
                      "zh": "恢复练习 N 的初始文件（会先备份你的版本）"},
    "cli.opt_yes": {"en": "do not ask for confirmation (for scripts)", "zh": "不再询问确认（供脚本使用）"},
    "cli.cmd_watch": {"en": "check exercise N again each time you save its file (Ctrl+C to stop)",
                      "zh": "每次保存练习 N 的文件时自动重新检查（按 Ctrl+C 停止）"},
    "cli.opt_manual": {"en": "do not watch the file: press Enter to check again, q to quit",
                       "zh": "不监视文件：按回车重新检查，输入 q 退出"},
    "cli.opt_max_runs": {"en": "stop after this many checks (for scripts and tests)",
                         "zh": "检查达到这个次数后停止（供脚本和测试使用）"},
    "cli.cmd_progress": {"en": "show your progress; --reset forgets it", "zh": "显示你的学习进度；--reset 清除进度"},
    "cli.opt_progress_reset": {"en": "forget all progress (done exercises, hints shown, lessons played)",
                               "zh": "清除全部进度（已完成的练习、已看过的提示、已运行的课程）"},
    # --- exercise N ---
    "practice.unknown": {
        "en": "There is no exercise {number!r}. Exercises: {valid}. See: python runner.py list",
        "zh": "没有练习 {number!r}。现有练习：{valid}。查看：python runner.py list",
    },
    "practice.exercise": {"en": "Exercise", "zh": "练习"},
    "practice.of_lesson": {"en": "lesson {n}", "zh": "第 {n} 课"},
    "practice.classroom": {"en": "classroom exercise", "zh": "课堂练习"},
    "practice.created": {"en": "Created your file from the starter: {file}", "zh": "已从初始文件为你创建：{file}"},
    "practice.edit": {"en": "Edit: {file}", "zh": "要编辑的文件：{file}"},
    "practice.todos": {"en": "TODO markers in your file (TODO N belongs to check N; check 1 is \"the file imports\"):",
                       "zh": "你文件中的 TODO 标记（TODO N 对应第 N 项检查；第 1 项检查是“文件能被导入”）："},
    "practice.no_todos": {"en": "No TODO markers left in your file.", "zh": "你的文件里已经没有 TODO 标记了。"},
    "practice.how": {
        "en": "Check it:  python runner.py check {n}        (on a real worker; add --broker redis for a real broker)\n"
              "Auto:      python runner.py watch {n}        (checks again each time you save)\n"
              "Stuck?     python runner.py hint {n}         (one more hint each time)\n"
              "Start over: python runner.py reset {n}       (your version is backed up first)",
        "zh": "检查：     python runner.py check {n}        （在真实的 worker 上；加 --broker redis 使用真实的消息代理）\n"
              "自动检查： python runner.py watch {n}        （每次保存后自动重新检查）\n"
              "卡住了？   python runner.py hint {n}         （每次多给一条提示）\n"
              "重新开始： python runner.py reset {n}        （会先备份你的版本）",
    },
    # --- check ---
    "practice.checking": {"en": "Exercise {n}: {title}: checking {file}", "zh": "练习 {n}：{title}：正在检查 {file}"},
    "practice.step_import": {"en": "{file} imports and defines app", "zh": "{file} 可以导入，并定义了 app"},
    "practice.expected": {"en": "expected:", "zh": "期望："},
    "practice.got": {"en": "got:     ", "zh": "实际："},
    "practice.not_run": {"en": "not checked yet: fix the one above first", "zh": "尚未检查：请先解决上面那一项"},
    "practice.output": {"en": "What your code printed (last {lines} lines; all of it in {log}):",
                        "zh": "你的代码输出的内容（最后 {lines} 行；完整内容见 {log}）："},
    "practice.exp_import": {"en": "{file} to import within a few seconds and define a Celery app named `app`",
                            "zh": "{file} 能在几秒内导入，并定义一个名为 `app` 的 Celery 应用"},
    "practice.syntax_error": {"en": "a syntax error in {file}, line {line}: {msg}: {text}",
                              "zh": "{file} 第 {line} 行有语法错误：{msg}：{text}"},
    "practice.import_timeout": {
        "en": "importing it did not finish within {seconds:.0f} s, so it was stopped. Code outside functions runs "
              "on import: is there an endless loop, input(), a long sleep or a result.get() at the top level?",
        "zh": "导入在 {seconds:.0f} 秒内没有完成，已被停止。函数之外的代码在导入时就会运行："
              "模块顶层是否有死循环、input()、很长的 sleep 或 result.get()？",
    },
    "practice.import_raised": {"en": "importing it raised {error}", "zh": "导入时抛出了 {error}"},
    "practice.no_app": {"en": "the module has no `app = Celery(...)` (the worker starts with -A and looks for `app`)",
                        "zh": "模块里没有 `app = Celery(...)`（worker 用 -A 启动时会寻找 `app`）"},
    "practice.at_line": {"en": " ({file}, line {line})", "zh": "（{file} 第 {line} 行）"},
    "practice.a_worker": {"en": "the worker", "zh": "worker"},
    "practice.got_value": {"en": "{call} on {worker} returned {value} (state {state}, {ms:.0f} ms)",
                           "zh": "{call} 在 {worker} 上返回了 {value}（状态 {state}，{ms:.0f} 毫秒）"},
    "practice.got_failure": {"en": "{call} failed on {worker}: {error}", "zh": "{call} 在 {worker} 上失败：{error}"},
    "practice.exp_task": {"en": "a Celery task named {name} in your file (a function decorated with @app.task)",
                          "zh": "你的文件中有名为 {name} 的 Celery 任务（用 @app.task 装饰的函数）"},
    "practice.exp_function": {"en": "a function named {name} in your file", "zh": "你的文件中有名为 {name} 的函数"},
    "practice.no_such_name": {"en": "there is no {name} in the file", "zh": "文件里没有 {name}"},
    "practice.not_a_task": {"en": "{name} is a plain function, not a task: decorate it with @app.task",
                            "zh": "{name} 只是普通函数，不是任务：请用 @app.task 装饰它"},
    "practice.exp_returns": {"en": "{call} to return", "zh": "{call} 能正常返回"},
    "practice.call_timeout": {
        "en": "{call} did not return within {seconds:.0f} s (an endless loop? a get() without timeout?)",
        "zh": "{call} 在 {seconds:.0f} 秒内没有返回（死循环？还是调用了没有 timeout 的 get()？）",
    },
    "practice.call_raised": {"en": "{call} raised {error}", "zh": "{call} 抛出了 {error}"},
    "practice.exp_result": {"en": "a result for {call} within {seconds:.0f} s",
                            "zh": "{seconds:.0f} 秒内得到 {call} 的结果"},
    "practice.exp_value": {"en": "{call} to succeed on a worker and return {value}",
                           "zh": "{call} 在 worker 上成功执行并返回 {value}"},
    "practice.check_deadline": {
        "en": "The check did not finish within {seconds:.0f} s, so it and its workers were stopped. Its log: {log}",
        "zh": "检查没有在 {seconds:.0f} 秒内完成，检查进程和它的 worker 都已被停止。日志：{log}",
    },
    "practice.child_crashed": {"en": "The checker itself failed: {error}", "zh": "检查程序本身出错了：{error}"},
    "practice.passed": {
        "en": "✓ Exercise {n} passed: every check passed on a real worker ({mode} mode, {seconds:.1f} s).",
        "zh": "✓ 练习 {n} 通过：所有检查都在真实的 worker 上通过了（{mode} 模式，{seconds:.1f} 秒）。",
    },
    "practice.next": {"en": "Next: python runner.py exercise {n}", "zh": "下一个：python runner.py exercise {n}"},
    "practice.all_done": {"en": "That was the last exercise. Well done!", "zh": "这是最后一个练习了。干得漂亮！"},
    "practice.passed_skipped": {
        "en": "Every check that can run in {mode} mode passed, but {skipped} could not run here (see ⏭ above); "
              "the exercise counts as done once they pass with a real broker.",
        "zh": "在 {mode} 模式下能运行的检查都通过了，但有 {skipped} 项无法在此模式运行（见上面的 ⏭）；"
              "在真实的消息代理上通过后，这个练习才算完成。",
    },
    "practice.failed": {"en": "✗ Not yet ({seconds:.1f} s). Fix check {step}, then run the check again. Stuck? python runner.py hint {n}",
                        "zh": "✗ 还没通过（{seconds:.1f} 秒）。请先解决第 {step} 项检查指出的问题，再重新检查。卡住了？python runner.py hint {n}"},
    "practice.failed_nostep": {"en": "✗ The check could not run ({seconds:.1f} s).", "zh": "✗ 检查无法运行（{seconds:.1f} 秒）。"},
    "practice.need_number": {"en": "Say which exercise (check 3) or use --all.", "zh": "请指定练习编号（如 check 3），或使用 --all。"},
    "practice.all_title": {"en": "check --all ({what}, {mode} mode)", "zh": "check --all（{what}，{mode} 模式）"},
    "practice.what_student": {"en": "your files", "zh": "你的文件"},
    "practice.what_solution": {"en": "reference solutions: each must pass", "zh": "参考答案：每个都必须通过"},
    "practice.what_starter": {"en": "untouched starters: each must fail at its first TODO",
                              "zh": "未改动的初始文件：每个都必须在第一个 TODO 处失败"},
    "practice.col_result": {"en": "result", "zh": "结果"},
    "practice.col_expected": {"en": "expected", "zh": "预期"},
    "practice.col_took": {"en": "took", "zh": "耗时"},
    "practice.expect_pass": {"en": "pass", "zh": "通过"},
    "practice.expect_fail_at": {"en": "fail at {n}", "zh": "在第 {n} 项失败"},
    "practice.result_pass": {"en": "passed", "zh": "通过"},
    "practice.result_fail_at": {"en": "failed at {n}", "zh": "在第 {n} 项失败"},
    "practice.result_error": {"en": "did not run: {error}", "zh": "没有运行：{error}"},
    "practice.all_summary": {"en": "{good}/{total} as expected in {seconds:.1f} s", "zh": "{good}/{total} 符合预期，用时 {seconds:.1f} 秒"},
    # --- hint ---
    "practice.hint": {"en": "Hint {i}/{total}", "zh": "提示 {i}/{total}"},
    "practice.hint_more": {"en": "{left} more: run `python runner.py hint {n}` again.",
                           "zh": "还有 {left} 条：再次运行 `python runner.py hint {n}`。"},
    "practice.hint_last": {"en": "That was the last hint. The reference solution is {file} (try without it first!).",
                           "zh": "这是最后一条提示了。参考答案在 {file}（请先自己试试！）。"},
    # --- reset ---
    "practice.reset_same": {"en": "{file} is already the untouched starter: nothing to reset.",
                            "zh": "{file} 已经是未改动的初始文件：无需重置。"},
    "practice.reset_ask": {"en": "Replace {file} with the starter? Your version is saved to {backup} first. [y/N] ",
                           "zh": "用初始文件替换 {file} 吗？你的版本会先保存到 {backup}。[y/N] "},
    "practice.reset_needs_yes": {
        "en": "reset replaces your file and there is no terminal to ask you for confirmation. "
              "Run it with --yes: python runner.py reset {n} --yes",
        "zh": "reset 会替换你的文件，但当前没有终端可以向你确认。请加上 --yes：python runner.py reset {n} --yes",
    },
    "practice.reset_cancelled": {"en": "Nothing changed.", "zh": "没有做任何修改。"},
    "practice.reset_done": {"en": "{file} is the starter again. Your version: {backup}",
                            "zh": "{file} 已恢复为初始文件。你之前的版本：{backup}"},
    # --- watch ---
    "practice.watching": {"en": "Watching {file}: every save checks it again. Ctrl+C to stop.",
                          "zh": "正在监视 {file}：每次保存都会重新检查。按 Ctrl+C 停止。"},
    "practice.watching_keys": {"en": "(Enter: check again now, q: quit)", "zh": "（回车：立即重新检查，q：退出）"},
    "practice.manual": {"en": "Press Enter to check {file} again, q then Enter to quit.",
                        "zh": "按回车重新检查 {file}，输入 q 再按回车退出。"},
    "practice.watch_unavailable": {"en": "Cannot watch {file} ({error}): switching to manual mode.",
                                   "zh": "无法监视 {file}（{error}）：改为手动模式。"},
    "practice.changed": {"en": "{file} changed: checking again…", "zh": "{file} 已修改：正在重新检查…"},
    "practice.watch_max": {"en": "Stopped after {n} checks (--max-runs).", "zh": "已检查 {n} 次，按 --max-runs 停止。"},
    "practice.watch_bye": {"en": "Stopped watching.", "zh": "已停止监视。"},
    "practice.no_current": {"en": "Every exercise is done: say which one to watch (watch N).",
                            "zh": "所有练习都已完成：请指定要监视的练习（watch N）。"},
    # --- progress / list ---
    "practice.progress_line": {"en": "Exercises done: {done}/{total}   Lessons played: {lessons}/{ltotal}   File: {file}",
                               "zh": "已完成练习：{done}/{total}   已运行课程：{lessons}/{ltotal}   进度文件：{file}"},
    "practice.progress_cleared": {"en": "Progress cleared ({file}).", "zh": "进度已清除（{file}）。"},
    "practice.progress_empty": {"en": "There was no progress to clear.", "zh": "没有需要清除的进度。"},
    "practice.col_exercise": {"en": "Exercise", "zh": "练习"},
    "practice.col_lesson": {"en": "lesson", "zh": "课程"},
    "practice.col_hints": {"en": "hints", "zh": "提示"},
    "practice.list_title": {"en": "Exercises (✓ done, → current)", "zh": "练习（✓ 已完成，→ 当前）"},
    "practice.list_hint": {"en": "Start one: python runner.py exercise {n}    Progress: python runner.py progress",
                           "zh": "开始练习：python runner.py exercise {n}    查看进度：python runner.py progress"},
}
