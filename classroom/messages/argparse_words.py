"""argparse's own words (usage, options, its complaints), so --help and errors are wholly in one language."""

MESSAGES = {
    "argparse:usage: ": {"en": "usage: ", "zh": "用法："},
    "argparse:options": {"en": "options", "zh": "选项"},
    "argparse:positional arguments": {"en": "positional arguments", "zh": "位置参数"},
    "argparse:show this help message and exit": {"en": "show this help message and exit", "zh": "显示此帮助信息并退出"},
    "argparse:invalid choice: %(value)r (choose from %(choices)s)": {
        "en": "invalid choice: %(value)r (choose from %(choices)s)",
        "zh": "无效的选择：%(value)r（可选：%(choices)s）",
    },
    "argparse:the following arguments are required: %s": {
        "en": "the following arguments are required: %s", "zh": "缺少必需的参数：%s"},
    "argparse:unrecognized arguments: %s": {"en": "unrecognized arguments: %s", "zh": "无法识别的参数：%s"},
    "argparse:expected one argument": {"en": "expected one argument", "zh": "需要一个参数值"},
    "argparse:argument %(argument_name)s: %(message)s": {
        "en": "argument %(argument_name)s: %(message)s", "zh": "参数 %(argument_name)s：%(message)s"},
    "argparse:ambiguous option: %(option)s could match %(matches)s": {
        "en": "ambiguous option: %(option)s could match %(matches)s",
        "zh": "有歧义的选项：%(option)s 可能是 %(matches)s"},
    "argparse:invalid %(type)s value: %(value)r": {
        "en": "invalid %(type)s value: %(value)r", "zh": "无效的 %(type)s 值：%(value)r"},
}
