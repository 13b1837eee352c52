"""Lesson 15's figures, measured on real worker containers: stop, scale down, kill, soft shutdown,
health check and restart policy. Every number in lesson 15's notes comes from here.

    python bench/bench_deploy.py [--broker redis|amqp] [--only NAME,...]

Needs Docker and the image python:3.11-slim (tests/docker/build_images.sh). Builds the course's
image from the Dockerfile, runs workers with `--network host` against this machine's Redis db 4 or
RabbitMQ vhost cc-h4 (results always in Redis db 4), removes its containers after.
Results also go to bench/results/deploy-<broker>.json.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "celery-classroom-deploy:bench"
LABEL = "celery-classroom.bench=deploy"
BROKERS = {"redis": "redis://127.0.0.1:6379/4", "amqp": "amqp://guest:guest@127.0.0.1:5672/cc-h4"}
BACKEND = "redis://127.0.0.1:6379/4"
HOST = socket.gethostname()


def sh(*args, timeout=120, check=True):
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode:
        raise RuntimeError(f"{' '.join(args)}: {proc.stderr[-500:]}")
    return proc


class Bench:
    def __init__(self, broker: str):
        self.broker = broker
        os.environ["CLASSROOM_BROKER_URL"] = BROKERS[broker]
        os.environ["CLASSROOM_RESULT_BACKEND"] = BACKEND
        sys.path.insert(0, str(ROOT))
        from lessons.lesson15_deploy import tasks
        self.tasks, self.app = tasks, tasks.app

    def start(self, name, settings=None, env=None, extra=()):
        base = dict(self.app.conf.broker_transport_options)
        conf = {"broker_transport_options": base, **(settings or {})}
        args = ["docker", "run", "-d", "--name", f"cc-h4-{name}", "--network", "host", "--label", LABEL,
                "-e", f"CLASSROOM_BROKER_URL={BROKERS[self.broker]}", "-e", f"CLASSROOM_RESULT_BACKEND={BACKEND}",
                "-e", f"CLASSROOM_CELERY_SETTINGS={json.dumps(conf)}", *extra]
        for key, value in (env or {}).items():
            args += ["-e", f"{key}={value}"]
        sh(*args, IMAGE, "celery", "-A", "lessons.lesson15_deploy.tasks", "worker", "-l", "info",
           "-Q", "deploy", "-c", "1", "-n", f"{name}@%h")
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:
            if self.app.control.ping(destination=[f"{name}@{HOST}"], timeout=0.5):
                return round(time.monotonic() - t0, 2)
        raise RuntimeError(f"{name} did not answer a ping in 60 s: {self.logs(name)[-800:]}")

    def logs(self, name):
        proc = sh("docker", "logs", f"cc-h4-{name}", check=False)
        return proc.stdout + proc.stderr

    def stop(self, name, grace):
        t0 = time.monotonic()
        sh("docker", "stop", "-t", str(grace), f"cc-h4-{name}", timeout=grace + 60)
        took = round(time.monotonic() - t0, 2)
        code = int(sh("docker", "inspect", "-f", "{{.State.ExitCode}}", f"cc-h4-{name}").stdout)
        return took, code

    def rm(self, *names):
        sh("docker", "rm", "-f", *[f"cc-h4-{n}" for n in names], check=False)

    def clean(self):
        ids = sh("docker", "ps", "-aq", "--filter", f"label={LABEL}").stdout.split()
        if ids:
            sh("docker", "rm", "-f", *ids, check=False)
        with self.app.connection_for_write() as conn:
            conn.default_channel.queue_declare("deploy", passive=False, durable=True, auto_delete=False)
            conn.default_channel.queue_purge("deploy")

    def send(self, task, seconds, n=1):
        return [task.apply_async((seconds,), queue="deploy") for _ in range(n)]

    def wait_started(self, result, bound=20):
        t0 = time.monotonic()
        while result.state == "PENDING" and time.monotonic() - t0 < bound:
            time.sleep(0.05)
        return result.state

    def done_within(self, results, bound):
        t0 = time.monotonic()
        while time.monotonic() - t0 < bound:
            if all(r.state == "SUCCESS" for r in results):
                return round(time.monotonic() - t0, 2)
            time.sleep(0.1)
        return None

    # --- scenarios -------------------------------------------------------------------------
    def warm_stop(self):
        """docker stop -t 30 while an 8 s task runs: warm shutdown, the task finishes."""
        self.start("w1")
        r, = self.send(self.tasks.job, 8)
        self.wait_started(r)
        time.sleep(1)
        took, code = self.stop("w1", 30)
        return {"task_s": 8, "grace_s": 30, "stop_took_s": took, "exit_code": code, "state": r.state,
                "log_says_warm": "Warm shutdown" in self.logs("w1")}

    def killed(self, task, grace=2, seconds=8, vt=None):
        """docker stop -t 2 while an 8 s task runs: SIGKILL at 2 s; then a new worker: does it come back?"""
        settings = {}
        if vt is not None:
            # kombu 5.7 sweeps for expired unacked messages every unacked_restore_interval (10 s) x
            # unacked_restore_throttle (10) seconds: 1 x 1 here, so only the visibility timeout counts.
            settings["broker_transport_options"] = {**self.app.conf.broker_transport_options,
                                                    "visibility_timeout": vt, "unacked_restore_interval": 1,
                                                    "unacked_restore_throttle": 1}
        self.start("k1", settings)
        r, = self.send(task, seconds)
        self.wait_started(r)
        time.sleep(0.5)
        took, code = self.stop("k1", grace)
        state_after = r.state
        t_new = time.monotonic()
        self.start("k2", settings)
        back = self.done_within([r], (vt or 0) + seconds + 15)
        return {"task": task.name, "task_s": seconds, "grace_s": grace, "stop_took_s": took, "exit_code": code,
                "state_after_kill": state_after, "visibility_timeout_s": vt,
                "done_after_new_worker_s": back if back is None else round(time.monotonic() - t_new, 2),
                "lost": back is None}

    def scale_down(self, task, grace, seconds=1.0, n=30):
        """Three workers, a burst of 30 x 1 s; at 3 s two stop with the grace given."""
        for w in ("s1", "s2", "s3"):
            self.start(w)
        results = self.send(task, seconds, n)
        time.sleep(3)
        stops = [self.stop(w, grace) for w in ("s2", "s3")]
        done = self.done_within(results, n * seconds + 20)
        states = [r.state for r in results]
        return {"task": task.name, "grace_s": grace, "stops": stops, "all_done_after_s": done,
                "success": states.count("SUCCESS"), "not_done": len(states) - states.count("SUCCESS"),
                "not_done_states": {st: states.count(st) for st in set(states) - {"SUCCESS"}},
                "by_worker": {h.split("@")[0]: [r.result for r in results].count(h)
                              for h in {r.result for r in results if r.state == "SUCCESS"}}}

    def soft(self, task, seconds, timeout=3.0, on_idle=False, idle=False):
        """REMAP_SIGTERM=SIGQUIT + worker_soft_shutdown_timeout: SIGTERM waits, then cancels."""
        settings = {"worker_soft_shutdown_timeout": timeout, "worker_enable_soft_shutdown_on_idle": on_idle}
        self.start("f1", settings, env={"REMAP_SIGTERM": "SIGQUIT"})
        r = None
        if not idle:
            r, = self.send(task, seconds)
            self.wait_started(r)
            time.sleep(0.3)
        took, code = self.stop("f1", 30)
        log = self.logs("f1")
        out = {"task": task.name if r else None, "task_s": seconds if r else None, "soft_timeout_s": timeout,
               "on_idle": on_idle, "stop_took_s": took, "exit_code": code,
               "state_after_stop": r.state if r else None, "log_soft": "Initiating Soft Shutdown" in log}
        if r is not None and r.state != "SUCCESS":
            self.start("f2")
            back = self.done_within([r], seconds + 15)
            out["done_after_new_worker_s"] = back
        return out

    def term_to_all(self, task, seconds=8):
        """SIGTERM to every process of the worker, pool children included, as systemd's default
        KillMode=control-group (or supervisor's stopasgroup=true) sends it."""
        self.start("g1")
        r, = self.send(task, seconds)
        self.wait_started(r)
        time.sleep(0.5)
        t0 = time.monotonic()
        pid = int(sh("docker", "inspect", "-f", "{{.State.Pid}}", "cc-h4-g1").stdout)
        os.killpg(os.getpgid(pid), 15)   # the worker and its pool process share one process group
        sh("docker", "wait", "cc-h4-g1", timeout=60)
        took = round(time.monotonic() - t0, 2)
        out = {"task": task.name, "task_s": seconds, "exit_took_s": took, "state": r.state,
               "result": str(r.result)[:80]}
        if r.state != "SUCCESS":
            self.start("g2")
            out["done_after_new_worker_s"] = self.done_within([r], seconds + 15)
        return out

    def health(self):
        """celery inspect ping -d name@host --timeout 5 from inside the container: alive, then frozen."""
        self.start("h1")
        cmd = ["docker", "exec", "cc-h4-h1", "celery", "-A", "lessons.lesson15_deploy.tasks", "inspect", "ping",
               "-d", f"h1@{HOST}", "--timeout", "5"]
        t0 = time.monotonic(); ok = sh(*cmd, check=False); t_ok = round(time.monotonic() - t0, 2)
        pid = sh("docker", "inspect", "-f", "{{.State.Pid}}", "cc-h4-h1").stdout.strip()
        os.kill(int(pid), 19)   # SIGSTOP the worker's main process: it runs but answers nothing
        try:
            t0 = time.monotonic(); bad = sh(*cmd, check=False); t_bad = round(time.monotonic() - t0, 2)
        finally:
            os.kill(int(pid), 18)
        return {"alive_rc": ok.returncode, "alive_s": t_ok, "frozen_rc": bad.returncode, "frozen_s": t_bad,
                "frozen_says": (bad.stdout + bad.stderr).strip()[-80:]}

    def restart_policy(self):
        """--restart unless-stopped: a worker that exits on its own is started again."""
        self.start("r1", extra=("--restart", "unless-stopped"))
        self.app.control.shutdown(destination=[f"r1@{HOST}"])
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:
            count = int(sh("docker", "inspect", "-f", "{{.RestartCount}}", "cc-h4-r1").stdout)
            if count and self.app.control.ping(destination=[f"r1@{HOST}"], timeout=0.5):
                break
        back = round(time.monotonic() - t0, 2)
        took, code = self.stop("r1", 10)
        time.sleep(2)
        running = sh("docker", "inspect", "-f", "{{.State.Running}}", "cc-h4-r1").stdout.strip()
        return {"restarts": count, "answering_again_after_s": back, "after_docker_stop_running": running}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--broker", choices=sorted(BROKERS), default="redis")
    ap.add_argument("--only", default="")
    opts = ap.parse_args()
    t0 = time.monotonic()
    sh("docker", "build", "-q", "-t", IMAGE, str(ROOT), timeout=600)
    print(f"image built in {time.monotonic() - t0:.1f} s", flush=True)
    b = Bench(opts.broker)
    t = b.tasks
    plan = {
        "warm_stop": b.warm_stop,
        "killed_early_ack": lambda: b.killed(t.job),
        "killed_acks_late": lambda: b.killed(t.job_late, vt=(10 if opts.broker == "redis" else None)),
        "scale_down_grace30_early": lambda: b.scale_down(t.job, 30),
        "scale_down_grace0_early": lambda: b.scale_down(t.job, 0),
        "scale_down_grace0_late": lambda: b.scale_down(t.job_late, 0),
        "soft_short_task": lambda: b.soft(t.job_late, 1.5),
        "soft_long_late": lambda: b.soft(t.job_late, 8),
        "soft_long_early": lambda: b.soft(t.job, 8),
        "soft_idle_off": lambda: b.soft(t.job, 0, idle=True),
        "soft_idle_on": lambda: b.soft(t.job, 0, on_idle=True, idle=True),
        "term_to_all_early": lambda: b.term_to_all(t.job),
        "term_to_all_late": lambda: b.term_to_all(t.job_late),
        "health": b.health,
        "restart_policy": b.restart_policy,
    }
    only = [x for x in opts.only.split(",") if x]
    results = {}
    try:
        for name, fn in plan.items():
            if only and name not in only:
                continue
            b.clean()
            try:
                results[name] = fn()
            except Exception as exc:  # noqa: BLE001 - one failing scenario must not hide the others
                results[name] = {"error": str(exc)[-400:]}
            print(name, json.dumps(results[name]), flush=True)
    finally:
        b.clean()
    out = ROOT / "bench" / "results" / f"deploy-{opts.broker}.json"
    out.parent.mkdir(exist_ok=True)
    old = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**old, **results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
