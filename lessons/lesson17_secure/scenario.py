"""What `python runner.py lesson 17` plays. The TLS and outage steps run the lesson's OWN redis-server
(a throwaway CA, 127.0.0.1 only, stopped at the end), never the machine's shared broker."""
import os
import time
from urllib.parse import quote, urlsplit

from celery import Celery

from classroom.lessonkit import Scenario

from .servers import (TASKS, attempt, broker_keys, lines, logged_runtime, make_certs, rabbitmqctl, restart_results,
                      results_client, signed_worker, start_redis, start_results, start_worker, stop_service, tls_app)

scenario = Scenario()


@scenario.step(needs="processes", deadline_s=40)
def tls_broker(run):
    certs = make_certs(run)
    port = start_redis(run, "tls-redis", ["--port", "0", "--tls-port", "{port}", "--tls-auth-clients", "no",
                                          "--tls-cert-file", certs["server.pem"], "--tls-key-file",
                                          certs["server.key"], "--tls-ca-cert-file", certs["ca.pem"]])
    url = f"rediss://127.0.0.1:{port}/0"
    ssl_options = {"ssl_cert_reqs": "required", "ssl_ca_certs": certs["ca.pem"]}
    start_worker(run, "tls", url, {"broker_use_ssl": ssl_options, "redis_backend_use_ssl": ssl_options})
    app = tls_app(url, certs["ca.pem"])
    value = app.send_task(f"{TASKS}.add", (2, 3)).get(timeout=10)
    run.state["tls_url"] = url
    run.echo(f"{url}  ->  add(2, 3) = {value}")
    run.expect(value == 5, "over_tls")


@scenario.step(needs="processes")
def wrong_ca(run):
    certs, url = make_certs(run), run.state["tls_url"]
    stranger = tls_app(url, certs["other.pem"])             # trusts another CA
    refused = attempt(lambda: stranger.connection_for_write().ensure_connection(max_retries=1))
    run.echo(refused.error.split(" (_ssl")[0])
    run.data.update(refused=refused.error, seconds=round(refused.seconds, 2))
    run.expect("CERTIFICATE_VERIFY_FAILED" in refused.error, "refused", seconds=refused.seconds)


@scenario.step(needs="processes", deadline_s=40)
def handshake_cost(run):
    certs = make_certs(run)
    port = start_redis(run, "plain-and-tls", ["--port", "{port}", "--tls-port", "0"])
    plain, secure = Celery("plain", broker=f"redis://127.0.0.1:{port}/0"), tls_app(run.state["tls_url"], certs["ca.pem"])
    n, ms = 30, {}
    for label, app in (("plain", plain), ("tls", secure)):
        began = time.monotonic()
        for _ in range(n):                                  # a new connection for every publish
            with app.connection_for_write() as conn:
                app.send_task(f"{TASKS}.add", (1, 1), connection=conn, ignore_result=True)
        ms[f"{label}, new connection"] = (time.monotonic() - began) / n * 1000
        began = time.monotonic()
        for _ in range(n):                                  # the app's pool: connect once
            app.send_task(f"{TASKS}.add", (1, 1), ignore_result=True)
        ms[f"{label}, pooled"] = (time.monotonic() - began) / n * 1000
    run.bars([(run.text("plain_new"), ms["plain, new connection"]), (run.text("plain_pooled"), ms["plain, pooled"]),
              (run.text("tls_new"), ms["tls, new connection"]), (run.text("tls_pooled"), ms["tls, pooled"])],
             "ms_per_publish", unit="ms", n=n)
    run.data["ms"] = {k: round(v, 2) for k, v in ms.items()}
    cost = ms["tls, new connection"] - ms["plain, new connection"]
    run.expect(cost > 0, "handshake_costs", cost=cost)
    run.expect(ms["tls, pooled"] < ms["tls, new connection"] / 3, "pool_hides_it", pooled=ms["tls, pooled"])


@scenario.step(deadline_s=40)
def signed_messages(run):
    said = signed_worker(run, f"signed-{run.run_id}")   # signing.py: setup_security() and a worker, in a child
    run.say("outcome", said=said, tampered=said["tampered"].split(" [type:")[0])
    run.data.update(said)
    run.expect(said["signed"] == 5 and said["ran"] == ["add(2, 3)"], "signed_ok")
    run.expect(said["tampered_changed"] and said["tampered"].startswith("CRITICAL Can't decode"), "tampered_refused")
    run.expect(said["unsigned"].startswith("ERROR Received invalid task message: Refusing"), "unsigned_refused")
    run.expect(said["left"] == 0 and said["rejected"] == ["ContentDisallowed"], "dropped")


@scenario.step(needs="processes", deadline_s=60)
def broker_goes_away(run):
    folder = os.path.dirname(run.file("aof"))
    port = start_redis(run, "broker", ["--port", "{port}", "--appendonly", "yes", "--dir", folder])
    url = f"redis://127.0.0.1:{port}/0"
    start_worker(run, "survivor", url, {"broker_connection_retry_on_startup": True,
                                        "worker_cancel_long_running_tasks_on_connection_loss": True},
                 pool="prefork")                        # the pool runs the task; the consumer notices
    app = Celery("client", broker=url, backend=url)
    long_one = app.send_task(f"{TASKS}.slow", (3,))
    run.wait_until(lambda: long_one.state == "STARTED", 5)
    run.data["before"] = broker_keys(port)
    run.service("broker").stop()                            # the broker goes away mid-task
    saw = attempt(lambda: app.send_task(f"{TASKS}.add", (1, 1), ignore_result=True, retry_policy={
        "max_retries": 2, "interval_start": 0, "interval_step": 0.5}))
    run.sleep(1.0)
    start_redis(run, "broker-again", ["--port", str(port), "--appendonly", "yes", "--dir", folder])
    back = attempt(lambda: app.send_task(f"{TASKS}.add", (2, 2)).get(timeout=20))
    run.wait_until(lambda: long_one.ready(), 10)
    terminated = "Terminating it instead" in run.service("survivor").log_tail(400)
    run.say("outage", error=saw.error[:78], state=long_one.state)
    run.data.update(client_saw=saw.error, failed_after=round(saw.seconds, 2), reconnect=round(back.seconds, 2),
                    long_state=long_one.state, terminated=terminated, keys=broker_keys(port))
    kept = {key: n for key, n in run.data["keys"].items() if key in ("celery", "unacked")}
    run.expect("Connection refused" in saw.error, "client_refused", seconds=saw.seconds)
    run.expect(terminated and long_one.state == "REVOKED", "long_one_terminated")
    held = run.data["before"].get("unacked", 0)
    run.expect(held == 1 and not kept, "long_one_gone", held=held, kept=kept)
    run.expect(back.value == 4, "reconnected", seconds=back.seconds)


@scenario.step(needs="processes", deadline_s=60)
def backend_goes_away(run):
    retry = {"result_backend_always_retry": True, "result_backend_max_retries": 30,
             "result_backend_base_sleep_between_retries_ms": 100,        # random sleeps: up to 0.2 s, 0.4 s,
             "result_backend_max_sleep_between_retries_ms": 500}         # then up to 0.5 s each
    url, ran = start_results(run, retry), run.file("ran.txt")      # its own redis-server; workers plain, retrying
    app = results_client(run, url)                                  # on the run's broker, which stays up
    plain, retrying = (app.send_task(f"{TASKS}.note", (ran, q, 1.0), queue=q) for q in ("plain", "retrying"))
    run.service("results").stop()                                   # the result backend goes away under them
    fresh = results_client(run, url)                                # a client that has not reached it yet
    refused = attempt(lambda: fresh.send_task(f"{TASKS}.add", (1, 1), queue="plain", task_id=f"new-{run.run_id}"))
    fire = attempt(lambda: app.send_task(f"{TASKS}.add", (1, 1), queue="plain", ignore_result=True))
    run.wait_until(lambda: "Pool callback raised" in run.service("plain").log_tail(300)
                   and "Failed operation _store_result" in run.service("retrying").log_tail(300), 5)
    got = attempt(lambda: plain.get(timeout=5))
    run.sleep(1.0)
    restart_results(run)                                            # on the same port, empty
    stored = attempt(lambda: retrying.get(timeout=15))
    again = attempt(lambda: app.send_task(f"{TASKS}.add", (2, 2), queue="plain").get(timeout=10))
    plain_log, retrying_log = (run.service(name).log_tail(400) for name in ("plain", "retrying"))
    retries, busy = retrying_log.count("Failed operation _store_result"), logged_runtime(retrying_log, retrying.id)
    run.echo(f"fresh.send_task(...) -> {refused.error}\nplain.get(timeout=5) -> {got.error}\nran.txt: {lines(ran)}")
    run.data.update(refused=refused.error, refused_s=round(refused.seconds, 2), got=got.error, busy=busy,
                    got_s=round(got.seconds, 4), fired=f"{fire.value.id}] succeeded" in plain_log, retries=retries,
                    again=again.value, stored=stored.value, ran=lines(ran), lost=plain.state,
                    ready=run.queue_depth("plain").ready)
    run.expect("RuntimeError" in refused.error and "new-" not in plain_log, "new_refused", seconds=refused.seconds)
    run.expect(run.data["fired"], "fire_and_forget", ms=fire.seconds * 1000)
    run.expect(got.error.startswith("ConnectionError") and got.seconds < 1, "get_raised", ms=got.seconds * 1000)
    run.expect(stored.value == "retrying" and retries > 0, "retried_and_stored", retries=retries, busy=busy)
    run.expect(plain.state == "PENDING" and lines(ran).count("plain") == 1 and run.data["ready"] == 0, "lost")
    run.expect(again.value == 4, "recovered", seconds=again.seconds)


@scenario.step(needs="rabbitmq", deadline_s=60)
def least_privilege(run):
    user = vhost = f"least-{run.run_id}"
    ours, said = urlsplit(run.broker_url), {}
    theirs, server = ours.path[1:] or "/", f"{ours.hostname}:{ours.port}"   # the run's vhost: not the user's
    try:
        if not rabbitmqctl(run, "add_vhost", vhost):
            run.skip("rabbitmqctl_refused", vhost=vhost)
        made = [rabbitmqctl(run, "add_user", user, "s3cret"),
                rabbitmqctl(run, "set_permissions", "-p", vhost, user, ".*", ".*", ".*")]
        for label, where in (("own", vhost), ("other", theirs)):
            app = Celery("least", broker=f"amqp://{user}:s3cret@{server}/{quote(where, safe='')}")
            tried = attempt(lambda: app.connection_for_write().ensure_connection(max_retries=0).release())
            said[label] = tried.error or "connected"                # amqp's NotAllowed (530)
    finally:
        removed = [rabbitmqctl(run, "delete_user", user), rabbitmqctl(run, "delete_vhost", vhost)]
    for label, where in (("own", vhost), ("other", theirs)):
        run.say("vhost_ok" if said[label] == "connected" else "vhost_refused", user=user, vhost=where, error=said[label])
    run.data.update(said, made=made, removed=removed)
    run.expect(all(made) and said["own"] == "connected", "own_vhost")
    run.expect("NOT_ALLOWED" in said["other"], "other_refused", vhost=theirs)
    run.expect(all(removed), "cleaned_up", user=user)


@scenario.step(needs="rabbitmq", deadline_s=60)
def quorum_queues(run):
    ours = urlsplit(run.broker_url)
    vhost, server = f"quorum-{run.run_id}", f"{ours.username}:{ours.password}@{ours.hostname}:{ours.port}"
    settings = {"task_default_queue_type": "quorum",        # replicated, durable queues
                "task_default_exchange_type": "topic",      # what native delayed delivery needs
                "broker_transport_options": {"confirm_publish": True}}
    try:
        if not rabbitmqctl(run, "add_vhost", vhost):
            run.skip("rabbitmqctl_refused", vhost=vhost)
        made = [rabbitmqctl(run, "set_permissions", "-p", vhost, ours.username, ".*", ".*", ".*")]
        url = f"amqp://{server}/{vhost}"
        start_worker(run, "quorum", url, settings, pool="prefork", backend="rpc://")
        app = Celery("client", broker=url, backend="rpc://")
        app.conf.update(settings)
        came = attempt(lambda: app.send_task(f"{TASKS}.add", (2, 3), countdown=2).get(timeout=15))
        listed = run.run_command("rabbitmqctl", ["rabbitmqctl", "list_queues", "-q", "-p", vhost, "name", "type"])
        log = run.service("quorum").log_tail(400)
    finally:
        stop_service(run, "quorum")                         # before its vhost goes
        removed = rabbitmqctl(run, "delete_vhost", vhost)
    queues = dict(line.split()[:2] for line in listed.log.splitlines() if len(line.split()) >= 2)
    delayed = sorted(q for q in queues if q.startswith("celery_delayed_"))
    run.say("queue_types", celery=queues.get("celery"), delayed=len(delayed))
    run.data.update(made=made, removed=removed, waited=round(came.seconds, 2), celery=queues.get("celery"),
                    delayed=len(delayed), global_qos_off="Global QoS is disabled" in log,
                    direct_warning="is a direct exchange" in log)
    run.expect(all(made) and queues.get("celery") == "quorum", "quorum_queue")
    run.expect(came.value == 5 and came.seconds >= 2 and "is a direct exchange" not in log, "delayed_natively",
               waited=came.seconds, delayed=len(delayed))
    run.expect("Global QoS is disabled" in log, "global_qos_off")
    run.expect(removed, "vhost_removed", vhost=vhost)
