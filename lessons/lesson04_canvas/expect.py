"""What lesson 4's report must show on a real worker (signatures, group/chain/chord timing, the tutorial's workflow, a chord error).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""


from classroom.lessonkit import EVENT_SLACK_S
from classroom.lessonkit import report_step as step


def check(report: dict, mode: str) -> None:
    worker = report["workers"][0]
    assert step(report, "signatures")["data"]["values"] == [4, -5, 14, 20]

    group_ = step(report, "group_parallel")["data"]
    assert group_["values"] == [1, 4, 9, 16] and group_["finish_order"] == [16, 9, 4, 1]
    starts, ends = [s for _, s, _ in group_["spans"]], [e for _, _, e in group_["spans"]]
    assert max(starts) < min(ends)                              # all four ran at the same time

    chain_ = step(report, "chain_serial")["data"]
    assert chain_["values"] == [4, 16, 17]
    spans = sorted(chain_["spans"], key=lambda s: s[1])
    assert [n for n, _, _ in spans] == ["add", "mul", "add"]
    assert all(b[1] >= a[2] - EVENT_SLACK_S for a, b in zip(spans, spans[1:]))   # never overlapping

    chord_ = step(report, "chord_callback")["data"]
    assert chord_["value"] == 30
    # callback after the header (event times trail the stored result by a few ms: EVENT_SLACK_S)
    assert chord_["callback"][0][1] >= max(e for _, _, e in chord_["header"]) - EVENT_SLACK_S

    seed = step(report, "seed_workflow")
    assert seed["data"]["message"] == "report ready: 600 rows from 3 batches"
    names = sorted(n for n, _, _ in seed["data"]["spans"])
    assert names == sorted(["process_data"] * 3 + ["validate_data"] * 3 + ["combine_results", "send_notification"])
    assert all(t["hostname"] == worker for t in seed["tasks"].values())

    error = step(report, "chord_error")["data"]
    assert error["header_states"] == ["SUCCESS", "FAILURE", "SUCCESS"]
    assert error["callback_state"] == "FAILURE" and error["callback_error"] == "ChordError"
    assert not error["callback_started"] and error["raised"] in ("ChordError", "ValueError")
    if mode == "memory":
        assert report["seconds"] < 10
