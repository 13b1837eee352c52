"""What lesson 17's report must show: TLS refused with the wrong CA, the handshake's cost measured,
a worker that accepts only signed messages and drops a tampered and an unsigned one, a worker that
survives its broker's restart, and what a client and two workers do while the result backend is down.

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""
from classroom.lessonkit import report_step as step

SKIPPED = {"memory": {"tls_broker", "wrong_ca", "handshake_cost", "broker_goes_away", "backend_goes_away",
                      "least_privilege", "quorum_queues"},
           "redis": {"least_privilege", "quorum_queues"}}


def check(report: dict, mode: str) -> None:
    said = step(report, "signed_messages")["data"]                  # a real worker, in every mode
    assert said["signed"] == 5 and said["ran"] == ["add(2, 3)"]      # neither refused message ran
    assert said["content_type"] == "application/data" and said["tampered_changed"]
    assert said["tampered"].startswith("CRITICAL Can't decode message body: DecodeError(")
    assert "Unable to deserialize" in said["tampered"]
    assert said["unsigned"].startswith("ERROR Received invalid task message: Refusing to deserialize untrusted "
                                       "content of type json (application/json)")
    assert said["rejected"] == ["ContentDisallowed"] and said["left"] == 0
    if mode == "memory":
        return
    assert "CERTIFICATE_VERIFY_FAILED" in step(report, "wrong_ca")["data"]["refused"]
    ms = step(report, "handshake_cost")["data"]["ms"]
    assert ms["tls, new connection"] > ms["plain, new connection"] > 0
    assert ms["tls, pooled"] < ms["tls, new connection"]
    away = step(report, "broker_goes_away")["data"]
    assert "Connection refused" in away["client_saw"] and away["long_state"] == "REVOKED" and away["terminated"]
    assert 0 < away["reconnect"] < 20
    assert away["before"]["unacked"] == 1                                       # held before the stop
    assert "celery" not in away["keys"] and "unacked" not in away["keys"]      # gone after the restart
    down = step(report, "backend_goes_away")["data"]                           # the result backend, not the broker
    assert down["refused"].startswith("RuntimeError: Retry limit exceeded") and down["refused_s"] < 3
    assert down["fired"]                                                        # ignore_result=True: published, ran
    assert down["got"].startswith("ConnectionError") and "Connection refused" in down["got"] and down["got_s"] < 1
    assert down["stored"] == "retrying" and down["retries"] >= 1 and down["busy"] > 1   # a 1 s task, then retries
    assert down["lost"] == "PENDING" and down["ready"] == 0 and sorted(down["ran"]) == ["plain", "retrying"]
    assert down["again"] == 4
    if mode == "rabbitmq":
        least = step(report, "least_privilege")["data"]
        assert least["own"] == "connected" and "NOT_ALLOWED" in least["other"]
        assert all(least["made"]) and all(least["removed"])
        quorum = step(report, "quorum_queues")["data"]
        assert quorum["celery"] == "quorum" and quorum["delayed"] >= 28 and quorum["waited"] >= 2
        assert quorum["global_qos_off"] and quorum["removed"]
