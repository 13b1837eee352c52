"""Messages of the live step views (progress bar, canvas tree), skipped steps and result diagnoses."""

MESSAGES = {
    "tree.workflow": {"en": "workflow", "zh": "工作流"},
    "tree.chain": {"en": "one after another; each result is passed to the next",
                   "zh": "依次执行；每个结果传给下一个"},
    "tree.group": {"en": "in parallel; results in this order", "zh": "并行执行；结果按此顺序排列"},
    "tree.chord": {"en": "the header group first, then the body with all its results",
                   "zh": "先执行 header 组，再把全部结果交给 body"},
    "tree.body": {"en": "called once with the list of header results",
                  "zh": "只调用一次，参数是 header 全部结果组成的列表"},
    "tree.immutable": {"en": "(immutable: ignores the previous result)", "zh": "（不可变：忽略上一个结果）"},
    "progress.label": {"en": "task {task_id}", "zh": "任务 {task_id}"},
    "step.skipped_inside": {"en": "skipped:", "zh": "已跳过："},
    "wait.result_not_stored": {
        "en": "No result after {seconds:.1f} s, although worker {worker} finished task {task_id} "
              "(its task-{event} event says so): the result backend has nothing for that id. The task has "
              "ignore_result=True, or the worker stores results in another backend. Such an id reads PENDING "
              "forever; waiting longer never helps.",
        "zh": "{seconds:.1f} 秒后仍没有结果，可是 worker {worker} 已经执行完任务 {task_id}"
              "（它发出的 task-{event} 事件可以证明）：结果后端里没有这个 id 的任何记录。原因是任务设置了 "
              "ignore_result=True，或者 worker 把结果存到了另一个结果后端。这样的 id 会永远显示 PENDING，"
              "再等多久也没用。",
    },
}
