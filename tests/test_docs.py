"""The docs agree with the code: README tables come from the lesson manifests, CI runs the README's command."""
import re

from classroom import ROOT
from classroom.messages import LANGS, MESSAGES


def _readme(lang: str) -> str:
    return (ROOT / ("README.zh-CN.md" if lang == "zh" else "README.md")).read_text(encoding="utf-8")


def test_readme_lesson_tables_come_from_the_manifests():
    from classroom import readme
    for lang in LANGS:
        assert readme.current_table(lang) == readme.lesson_table(lang), \
            f"README ({lang}) lesson table is stale: run python -m classroom.readme"


def test_ci_runs_exactly_the_readme_test_command():
    command = re.search(r"```bash\n(.*pytest.*)\n```", _readme("en")).group(1)
    assert command in (ROOT / ".ci" / "run").read_text()
    assert command in _readme("zh")


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key
        pattern = r"%\((\w+)\)" if key.startswith("argparse:") else r"{(\w+)"
        fields = [set(re.findall(pattern, entry[lang])) for lang in LANGS]
        assert fields[0] == fields[1], f"{key}: placeholders differ {fields}"


def test_chinese_messages_are_chinese():
    for key, entry in MESSAGES.items():
        if len(entry["en"]) > 25:
            assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), f"{key} looks untranslated"


FAULT_FAMILIES = ("explain.", "wait.", "worker.exited", "worker.no_ping", "worker.died", "worker.import_failed",
                  "broker.unreachable", "broker.silent", "broker.login_refused",
                  "broker.wrong_", "backend.", "broker.none_", "broker.local_redis_failed", "session.queue_taken",
                  "session.queue_locked",
                  "session.time_limit_ignored", "kit.step_overrun")


def test_troubleshooting_pages_cover_every_fault_message_in_both_languages():
    anchors = {}
    for name in ("troubleshooting.md", "troubleshooting.zh-CN.md"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        anchors[name] = set(re.findall(r'<a id="([\w.]+)"></a>', text))
    assert anchors["troubleshooting.md"] == anchors["troubleshooting.zh-CN.md"]
    for key in MESSAGES:
        if key.startswith(FAULT_FAMILIES):
            assert key in anchors["troubleshooting.md"], f"docs/troubleshooting.md has no entry for {key}"
    assert anchors["troubleshooting.md"] <= set(MESSAGES)
