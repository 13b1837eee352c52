"""Every bound the runner puts on a wait, in one place. Units are in the names.

Why these numbers: lessons are conversations, so a healthy wait is well under a second and a
failed one should be reported within a few seconds. See ../shared/research/celery-pitfalls.md.
"""

# Broker connection: TCP connect + protocol handshake (Redis PING / AMQP open).
BROKER_CONNECT_S = 2.0
# Socket read timeout on broker/backend connections: a paused or half-open server cannot block us.
BROKER_SOCKET_S = 3.0
# How many times kombu retries a publish before giving up (each retry waits PUBLISH_RETRY_INTERVAL_S).
PUBLISH_MAX_RETRIES = 2
PUBLISH_RETRY_INTERVAL_S = 0.2

# A task result: the default `get(timeout=...)` the lessons use.
RESULT_S = 5.0
# How often a client polls a result backend that has no push (memory, rpc polling fallbacks).
RESULT_POLL_INTERVAL_S = 0.02

# Hard deadline for one lesson step, enforced by the runner outside Celery.
STEP_S = 20.0

# `all`: one whole lesson, played in a child process (each step already has STEP_S).
LESSON_S = 180.0
# A child runner asked to stop: it stops its workers (WORKER_STOP_S each) and beat before it exits.
RUNNER_STOP_S = 12.0

# Worker lifecycle.
WORKER_START_S = 15.0       # from spawn to answering a ping
WORKER_PING_S = 0.5         # one ping round
WORKER_STOP_S = 5.0         # warm shutdown before we kill the process group
FAST_CLEANUP_S = 1.0        # second Ctrl+C: deleting the run's Redis keys may take this long, no more
VHOST_DELETE_S = 3.0        # deleting a run's RabbitMQ vhost, also on a second Ctrl+C (API: 30 ms; rabbitmqctl: 0.5-0.8 s)
WORKER_IDLE_CHECK_S = 0.3   # at the end: does a worker still hold a task (active/reserved/scheduled)?
MEMORY_WORKER_STOP_S = 1.0  # in-process worker thread
TEST_WORKER_WAKE_S = 0.02   # a pytest session's in-process worker being stopped is woken this often (pytest_wake.py)
# Beat: from start to "beat: Starting..." (a process imports the app first), and a bounded stop.
BEAT_START_S = 10.0
BEAT_STOP_S = 3.0
# `celery multi start` exits once it has daemonized its nodes (then each must answer a ping within
# WORKER_START_S); `celery multi stopwait` checks the nodes every 2 s (hard-coded: Cluster.stopwait).
MULTI_START_S = 15.0
MULTI_STOP_S = 12.0
# Broker binaries the runner starts itself (redis-server).
BROKER_START_S = 5.0
BROKER_STOP_S = 3.0

# A line a worker logs (Run.worker_log) may reach its log file a little after the task's result.
LOG_S = 2.0

# One HTTP request to a service a lesson runs on 127.0.0.1 (Flower's API, Django's runserver).
HTTP_S = 3.0

# Remote control (inspect) round.
INSPECT_S = 1.0
# A celery command-line call a step runs (`celery -A ... inspect active`): its imports take ~1 s.
CLI_S = 10.0

# --- Exercises (python runner.py check N); see classroom/practice/ ---
EXERCISE_IMPORT_S = 5.0     # importing a student's file: an endless loop at module level is caught here
EXERCISE_RESULT_S = 3.0     # one task result in a check (the checked tasks take well under a second)
EXERCISE_CALL_S = 8.0       # one call of a function the student wrote (it may wait on results itself)
EXERCISE_STEP_S = 15.0      # one numbered check, everything included
EXERCISE_CHECK_S = 90.0     # a whole `check N` child process, workers' start and stop included
EXERCISE_STOP_S = 1.0       # stopping a worker after a check timed out (a task may never return)
WATCH_POLL_S = 0.5          # `watch`: how often the file's mtime is compared

# Docker (brokers the runner starts in containers). A missing or stopped engine is known within the
# ping bound; an answering engine gets longer per API call (creating a container, reading logs).
DOCKER_PING_S = 2.0
DOCKER_API_S = 30.0
DOCKER_PULL_IDLE_S = 20.0   # a pull that sends no progress for this long is given up
DOCKER_PROBE_S = 1.0        # one readiness probe (Redis PING / AMQP login) of a starting container
# From `up` to a broker that answers. RabbitMQ boots in ~6 s here, 10-30 s on a slow laptop's first run.
DOCKER_READY_S = {"redis": 20.0, "rabbitmq": 90.0}

# A command a lesson step runs to its end (ManagedProcess.run_to_end), e.g. a small pytest session
# with an in-process worker: pytest's start, the worker's start and stop, the tests.
COMMAND_RUN_S = 15.0

# Any managed process (classroom/runtime/process.py): from spawn to ready, the warm stop, and each of
# the terminate and kill steps that follow it. Workers, beat and brokers have their own below/above.
PROCESS_START_S = 15.0
PROCESS_STOP_S = 5.0
PROCESS_TERMINATE_S = 1.0
