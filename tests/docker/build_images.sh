#!/usr/bin/env bash
# Build local stand-ins for the images `redis:7` and `rabbitmq:3-management`
# from the programs already installed on this Debian 12 machine, and
# `python:3.11-slim` (the course's Dockerfile) from Debian 12's own Python,
# without any container registry (none is reachable here); make sure a Docker
# engine and Docker Compose are installed and the engine is running.
#
# Usage: tests/docker/build_images.sh [--force] [--no-verify] [--redis-only]
#                                     [--require-rabbitmq] [--no-python]
#   --force             rebuild the images even if they already exist
#   --no-verify         skip the smoke test (run a container, PING / AMQP)
#   --redis-only        do not build or verify the RabbitMQ or Python image
#   --require-rabbitmq  fail (exit 1) if the RabbitMQ image cannot be built or
#                       verified; by default that is only a warning
#   --no-python         do not build python:3.11-slim (nor install Compose)
#
# Environment: DOCKERD_LOG (default /tmp/dockerd.log), DOCKERD_TIMEOUT
# (seconds to wait for the engine, default 60), VERIFY_TIMEOUT (seconds to
# wait for a test container to answer, default 60).
#
# See tests/docker/README.md for the why and the measured timings.
set -euo pipefail

REDIS_IMAGE="redis:7"
RABBIT_IMAGE="rabbitmq:3-management"
PYTHON_IMAGE="python:3.11-slim"
DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
DOCKERD_TIMEOUT="${DOCKERD_TIMEOUT:-60}"
VERIFY_TIMEOUT="${VERIFY_TIMEOUT:-60}"
LABEL_KEY="org.celery-course.local-build"

FORCE=0
VERIFY=1
WITH_RABBIT=1
REQUIRE_RABBIT=0
WITH_PYTHON=1

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log()  { printf '[build_images] %s\n' "$*"; }
warn() { printf '[build_images] WARNING: %s\n' "$*" >&2; }
die()  { printf '[build_images] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        --no-verify) VERIFY=0 ;;
        --redis-only) WITH_RABBIT=0; WITH_PYTHON=0 ;;
        --no-python) WITH_PYTHON=0 ;;
        --require-rabbitmq) REQUIRE_RABBIT=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $arg" ;;
    esac
done

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd)"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"

# One run at a time (two CI steps calling this at once would race on dockerd).
exec 9>/tmp/build_images.lock
if ! flock -n 9; then
    log "another build_images.sh is running; waiting for it (at most 600 s)"
    flock -w 600 9 || die "another build_images.sh is still running"
fi

# Python for the smoke tests: the project's venv (has `amqp`) or any python3.
PY="$REPO_ROOT/.venv/bin/python"
[ -x "$PY" ] || PY="$(command -v python3 || true)"
[ "$VERIFY" = 0 ] || [ -n "$PY" ] || die "python3 is needed for the smoke tests (or pass --no-verify)"

# Scratch space for the root file systems; test containers carry a label.
WORK="$(mktemp -d /tmp/build_images.XXXXXX)"
TEST_LABEL="$LABEL_KEY.smoke-test=1"
cleanup() {
    docker ps -aq --filter "label=$TEST_LABEL" 2>/dev/null \
        | xargs -r docker rm -f >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Run "$@" in a subshell with errexit really on (bash ignores `set -e` in
# functions called from `if`/`||`); sets STEP_RC.
run_step() { set +e; ( set -e; "$@" ); STEP_RC=$?; set -e; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --------------------------------------------------------------------------
# 1. Docker engine: install and start
# --------------------------------------------------------------------------
ensure_docker_installed() {
    if command -v dockerd >/dev/null 2>&1; then
        log "dockerd found: $(command -v dockerd)"
    else
        log "dockerd missing: installing Debian package docker.io"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/tmp/build_images.apt.log 2>&1 \
            || { cat /tmp/build_images.apt.log >&2; die "apt-get update failed"; }
        apt-get install -y -qq --no-install-recommends docker.io \
            >>/tmp/build_images.apt.log 2>&1 \
            || { tail -20 /tmp/build_images.apt.log >&2; die "apt-get install docker.io failed"; }
        log "docker.io installed ($(dpkg-query -W -f '${Version}' docker.io))"
    fi
    command -v docker >/dev/null 2>&1 || die "no docker client on PATH"
}

engine_up() { docker info >/dev/null 2>&1; }

# Docker Compose: the v2 plugin (`docker compose`) if present, else Debian 12's
# `docker-compose` 1.29 (the only Compose Debian packages; it reads the same
# file, profiles and `--scale` included).
ensure_compose() {
    if docker compose version >/dev/null 2>&1; then
        log "compose found: docker compose $(docker compose version --short 2>/dev/null)"
    elif command -v docker-compose >/dev/null 2>&1; then
        log "compose found: $(docker-compose version --short 2>/dev/null || echo docker-compose)"
    else
        log "compose missing: installing Debian package docker-compose"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends docker-compose >>/tmp/build_images.apt.log 2>&1 \
            || { apt-get update -qq >>/tmp/build_images.apt.log 2>&1 \
                 && apt-get install -y -qq --no-install-recommends docker-compose >>/tmp/build_images.apt.log 2>&1; } \
            || { tail -20 /tmp/build_images.apt.log >&2; die "apt-get install docker-compose failed"; }
        log "docker-compose installed ($(dpkg-query -W -f '${Version}' docker-compose))"
    fi
}

# Has pid $1 not exited (zombies count as exited)?
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null; }
live_dockerd() { alive "${1:-}" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = dockerd ]; }

# Wait until the engine answers, while dockerd $1 is alive.
# Returns 0 when up, 1 on time-out, 2 when dockerd exited.
wait_engine() {
    local pid="$1" start=$SECONDS
    while (( SECONDS - start < DOCKERD_TIMEOUT )); do
        engine_up && return 0
        alive "$pid" || { engine_up && return 0; return 2; }
        sleep 1
    done
    return 1
}

ensure_engine() {
    if engine_up; then
        log "docker engine already answering ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
        return 0
    fi
    # A dockerd that is still starting up gets the same time budget.
    local oldpid="" rc
    if [ -s /var/run/docker.pid ]; then
        oldpid="$(cat /var/run/docker.pid)"
        if live_dockerd "$oldpid"; then
            log "dockerd (pid $oldpid) is running but not answering yet; waiting up to ${DOCKERD_TIMEOUT}s"
            rc=0; wait_engine "$oldpid" || rc=$?
            [ "$rc" != 0 ] || { log "docker engine answering"; return 0; }
            [ "$rc" != 1 ] || die "dockerd pid $oldpid does not answer; see $DOCKERD_LOG (stop it and re-run)"
            log "dockerd pid $oldpid exited; starting a new one"
        else
            log "removing stale /var/run/docker.pid (pid $oldpid is not a running dockerd)"
        fi
        rm -f /var/run/docker.pid
    fi
    # First the defaults (overlay2, bridge + iptables, userland proxy), which
    # work here. Fallback for hosts without overlayfs or netfilter: vfs and no
    # iptables; publishing to 127.0.0.1 still works via docker-proxy.
    local flags pid
    for flags in "" "--storage-driver=vfs --iptables=false --ip-masq=false"; do
        log "starting: dockerd ${flags:-(default options)} (log: $DOCKERD_LOG)"
        # shellcheck disable=SC2086
        nohup setsid dockerd $flags >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
        pid=$!
        rc=0
        wait_engine "$pid" || rc=$?
        if [ "$rc" = 0 ]; then
            log "docker engine answering (dockerd pid $pid, $(docker version -f '{{.Server.Version}}'), storage $(docker info -f '{{.Driver}}'))"
            return 0
        elif [ "$rc" = 1 ]; then
            tail -20 "$DOCKERD_LOG" >&2 || true
            die "dockerd (pid $pid) did not answer within ${DOCKERD_TIMEOUT}s; see $DOCKERD_LOG"
        fi
        warn "dockerd exited at once with flags '${flags}'; last log lines:"
        tail -5 "$DOCKERD_LOG" >&2 || true
    done
    die "could not start dockerd; see $DOCKERD_LOG"
}

# --------------------------------------------------------------------------
# 2. Root file systems made of this machine's own files
# --------------------------------------------------------------------------
ROOT=""

# A skeleton with Debian's merged-/usr layout, /tmp, passwd and nsswitch.
rootfs_init() {
    ROOT="$(mktemp -d "$WORK/rootfs.XXXXXX")"
    chmod 755 "$ROOT"
    mkdir -p "$ROOT"/usr/{bin,sbin,lib,lib64,local/bin,local/sbin} \
             "$ROOT"/{etc,root,proc,sys,dev,run,tmp,var/tmp}
    local d
    for d in bin sbin lib lib64; do ln -s "usr/$d" "$ROOT/$d"; done
    chmod 1777 "$ROOT/tmp" "$ROOT/var/tmp"
    chmod 700 "$ROOT/root"
    cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
    cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
    printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' \
        >"$ROOT/etc/nsswitch.conf"
    # Docker bind-mounts these three; empty files make the mount points.
    : >"$ROOT/etc/hosts"; : >"$ROOT/etc/hostname"; : >"$ROOT/etc/resolv.conf"
}

# add_path /abs/path: copy a host file into $ROOT at the same path; symlinks
# are copied as symlinks and their targets followed.
add_path() {
    local p="$1" dir base tgt
    dir="$(readlink -f "$(dirname "$p")")" || return 1
    base="$(basename "$p")"
    p="$dir/$base"
    [ -e "$ROOT$p" ] || [ -L "$ROOT$p" ] && return 0
    mkdir -p "$ROOT$dir"
    if [ -L "$p" ]; then
        cp -P "$p" "$ROOT$p"
        tgt="$(readlink "$p")"
        case "$tgt" in /*) ;; *) tgt="$dir/$tgt" ;; esac
        add_path "$tgt"
    elif [ -f "$p" ]; then
        cp -p "$p" "$ROOT$p"
    else
        warn "not a file: $p"; return 1
    fi
}

# add_libs FILE...: every shared library (and the loader) `ldd` lists.
add_libs() {
    local lib
    for lib in $( { for f in "$@"; do ldd "$f" 2>/dev/null || true; done; } \
                  | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' \
                  | sort -u ); do
        add_path "$lib"
    done
}

# add_tools NAME...: host commands (from PATH) with their libraries.
add_tools() {
    local t p
    for t in "$@"; do
        p="$(command -v "$t" 2>/dev/null)" || { warn "tool not on host: $t"; continue; }
        add_path "$p"
        add_libs "$(readlink -f "$p")"
    done
}

elf_files() {  # ELF files (programs, NIFs) under the given directories
    local f magic
    while IFS= read -r -d '' f; do
        LC_ALL=C read -r -n 4 magic <"$f" 2>/dev/null || true
        [ "$magic" = $'\x7fELF' ] && printf '%s\n' "$f"
    done < <(find "$@" -type f \( -perm -u+x -o -name '*.so*' \) -print0)
    return 0
}

import_rootfs() {  # import_rootfs TAG CHANGE...
    local tag="$1"; shift
    local args=() c old new
    for c in "$@"; do args+=(--change "$c"); done
    old="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)"
    log "importing $tag ($(du -sh "$ROOT" | cut -f1) root file system)"
    tar --numeric-owner -C "$ROOT" -cf - . \
        | docker import "${args[@]}" -m "built by tests/docker/build_images.sh" - "$tag" >/dev/null
    new="$(docker image inspect -f '{{.Id}}' "$tag")"
    if [ -n "$old" ] && [ "$old" != "$new" ]; then  # drop the replaced build
        docker image rm "$old" >/dev/null 2>&1 || true
    fi
    log "built $tag: $(docker image inspect -f '{{.Size}}' "$tag" | awk '{ printf "%.1f MB", $1 / 1e6 }')"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

build_redis() {
    local src ver
    command -v redis-server >/dev/null 2>&1 \
        || die "redis-server not installed on this machine (apt-get install redis-server)"
    src="$(readlink -f "$(command -v redis-server)")"
    ver="$(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"
    log "building $REDIS_IMAGE from $(command -v redis-server) (Redis $ver)"
    case "$ver" in 7.*) ;; *) warn "host Redis is $ver, not 7.x; tagging it $REDIS_IMAGE anyway" ;; esac
    rootfs_init
    install -m 755 "$src" "$ROOT/usr/local/bin/redis-server"
    ln -s redis-server "$ROOT/usr/local/bin/redis-check-rdb"
    ln -s redis-server "$ROOT/usr/local/bin/redis-check-aof"
    if command -v redis-cli >/dev/null 2>&1; then
        install -m 755 "$(readlink -f "$(command -v redis-cli)")" "$ROOT/usr/local/bin/redis-cli"
        add_libs "$ROOT/usr/local/bin/redis-cli"
    fi
    add_libs "$ROOT/usr/local/bin/redis-server"
    add_tools sh   # for `docker exec ... sh -c` and CMD-SHELL health checks
    echo 'redis:x:999:999::/data:/bin/sh' >>"$ROOT/etc/passwd"
    echo 'redis:x:999:' >>"$ROOT/etc/group"
    mkdir -p "$ROOT/data"
    chown 999:999 "$ROOT/data"
    import_rootfs "$REDIS_IMAGE" \
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        "ENV REDIS_VERSION=$ver" \
        "LABEL $LABEL_KEY=redis-$ver" \
        'WORKDIR /data' \
        'EXPOSE 6379' \
        'CMD ["redis-server","--protected-mode","no"]'
}

build_rabbitmq() {
    if [ ! -d /usr/lib/erlang ] || [ ! -d /usr/lib/rabbitmq ]; then
        warn "RabbitMQ/Erlang not installed here (/usr/lib/rabbitmq, /usr/lib/erlang)"; return 1
    fi
    local ver home t
    home="$(find /usr/lib/rabbitmq/lib -maxdepth 1 -name 'rabbitmq_server-*' | sort -V | tail -1)"
    [ -n "$home" ] || { warn "no /usr/lib/rabbitmq/lib/rabbitmq_server-*"; return 1; }
    ver="${home##*-}"
    log "building $RABBIT_IMAGE from $home and /usr/lib/erlang (RabbitMQ $ver)"
    case "$ver" in 3.*) ;; *) warn "host RabbitMQ is $ver, not 3.x; tagging it $RABBIT_IMAGE anyway" ;; esac
    rootfs_init
    cp -a /usr/lib/erlang "$ROOT/usr/lib/"
    cp -a /usr/lib/rabbitmq "$ROOT/usr/lib/"
    for t in /usr/bin/erl /usr/bin/erlc /usr/bin/escript /usr/bin/epmd; do
        if [ -e "$t" ]; then add_path "$t"; fi
    done
    # Shared libraries of the Erlang VM, its port programs and NIFs.
    mapfile -t elves < <(elf_files "$ROOT/usr/lib/erlang" "$ROOT/usr/lib/rabbitmq")
    add_libs "${elves[@]}"
    # What the rabbitmq/erl shell scripts and rabbit_disk_monitor call.
    add_tools sh basename dirname readlink expr date cat sed grep df id \
              ls mkdir rm chmod env sleep uname head tail tr cut wc sort hostname getconf
    # UTF-8 locale, as in the official image (LANG=C.UTF-8).
    if [ -d /usr/lib/locale/C.utf8 ]; then
        mkdir -p "$ROOT/usr/lib/locale"
        cp -a /usr/lib/locale/C.utf8 "$ROOT/usr/lib/locale/"
    fi
    echo 'rabbitmq:x:999:999:RabbitMQ:/var/lib/rabbitmq:/bin/sh' >>"$ROOT/etc/passwd"
    echo 'rabbitmq:x:999:' >>"$ROOT/etc/group"
    mkdir -p "$ROOT/etc/rabbitmq/conf.d" "$ROOT/var/lib/rabbitmq" "$ROOT/var/log/rabbitmq"
    cat >"$ROOT/etc/rabbitmq/rabbitmq.conf" <<'EOF'
# Local stand-in for the official rabbitmq:3-management image.
# guest/guest may log in from outside the container (through -p mappings).
loopback_users = none
listeners.tcp.default = 5672
management.tcp.port = 15672
EOF
    echo '[rabbitmq_management,rabbitmq_prometheus].' >"$ROOT/etc/rabbitmq/enabled_plugins"
    # A fixed Erlang cookie (the official image makes a random one); it only
    # matters for rabbitmqctl / rabbitmq-diagnostics run inside the container.
    printf 'CELERYCOURSELOCALCOOKIE' >"$ROOT/var/lib/rabbitmq/.erlang.cookie"
    chmod 400 "$ROOT/var/lib/rabbitmq/.erlang.cookie"
    import_rootfs "$RABBIT_IMAGE" \
        'ENV PATH=/usr/lib/rabbitmq/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        'ENV HOME=/var/lib/rabbitmq' \
        'ENV LANG=C.UTF-8' 'ENV LANGUAGE=C.UTF-8' 'ENV LC_ALL=C.UTF-8' \
        'ENV RABBITMQ_LOGS=-' \
        "ENV RABBITMQ_VERSION=$ver" \
        "LABEL $LABEL_KEY=rabbitmq-$ver" \
        'WORKDIR /var/lib/rabbitmq' \
        'EXPOSE 4369 5671 5672 15671 15672 15691 15692 25672' \
        'CMD ["rabbitmq-server"]'
}

# The base image of the course's worker image (Dockerfile: FROM python:3.11-slim).
# Debian 12's own Python is 3.11, so a minimal Debian root file system made
# by debootstrap (from the Debian mirror apt already uses) with Debian's
# python3, pip and venv stands in for the official image.
build_python() {
    local mirror ver t0
    t0="$(now)"
    if ! command -v debootstrap >/dev/null 2>&1; then
        log "debootstrap missing: installing Debian package debootstrap"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends debootstrap >>/tmp/build_images.apt.log 2>&1 \
            || { apt-get update -qq >>/tmp/build_images.apt.log 2>&1 \
                 && apt-get install -y -qq --no-install-recommends debootstrap >>/tmp/build_images.apt.log 2>&1; } \
            || { tail -20 /tmp/build_images.apt.log >&2; die "apt-get install debootstrap failed"; }
    fi
    mirror="$(debian_mirror)"
    ROOT="$WORK/python-rootfs"
    log "building $PYTHON_IMAGE: debootstrap --variant=minbase bookworm from $mirror (log: $WORK/debootstrap.log)"
    debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
        bookworm "$ROOT" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
    # This machine reaches PyPI through TLS inspection: its extra CA certificates
    # (/usr/local/share/ca-certificates) go into the image's trust store, so that
    # `pip install` in a Dockerfile works here as it does on the host.
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
        chroot "$ROOT" update-ca-certificates >/dev/null 2>&1 || warn "update-ca-certificates failed in the image"
    fi
    # As in the official image: `python` and `pip` on PATH, and pip may install
    # into the image's Python (Debian marks it externally managed, PEP 668).
    rm -f "$ROOT"/usr/lib/python3*/EXTERNALLY-MANAGED
    ln -sf /usr/bin/python3 "$ROOT/usr/local/bin/python"
    ln -sf /usr/bin/pip3 "$ROOT/usr/local/bin/pip"
    chroot "$ROOT" apt-get clean
    rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/log/*.log
    : >"$ROOT/etc/hosts"; : >"$ROOT/etc/hostname"; : >"$ROOT/etc/resolv.conf"
    ver="$(chroot "$ROOT" python3 -c 'import platform; print(platform.python_version())')"
    case "$ver" in 3.11.*) ;; *) warn "Debian's Python is $ver, not 3.11; tagging it $PYTHON_IMAGE anyway" ;; esac
    import_rootfs "$PYTHON_IMAGE" \
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        'ENV LANG=C.UTF-8' \
        "ENV PYTHON_VERSION=$ver" \
        "LABEL $LABEL_KEY=python-$ver" \
        'CMD ["python3"]'
    log "built $PYTHON_IMAGE (Python $ver) in $(elapsed "$t0") s"
}

# The Debian mirror of this machine's apt sources (deb822 or one-line format).
debian_mirror() {
    local m
    m="$(grep -hE '^URIs:.*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2; exit }')"
    [ -n "$m" ] || m="$(grep -hE '^deb .*/debian/? bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
                        | awk '{ print $2; exit }')"
    printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

# --------------------------------------------------------------------------
# 3. Smoke tests: publish on 127.0.0.1, connect from the host
# --------------------------------------------------------------------------
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

redis_ping() {  # redis_ping PORT: prints PONG when the server answers
    if command -v redis-cli >/dev/null 2>&1; then
        redis-cli -p "$1" ping 2>/dev/null
    else
        "$PY" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(b"PING\r\n"); print(s.recv(64).decode().strip().lstrip("+"))' "$1" 2>/dev/null
    fi
}

verify_redis() {
    local port cid t0 deadline
    port="$(free_port)"
    t0="$(now)"
    cid="$(docker run -d --rm --label "$TEST_LABEL" -p "127.0.0.1:$port:6379" "$REDIS_IMAGE" \
           redis-server --protected-mode no --save "" --appendonly no)"
    deadline=$((SECONDS + VERIFY_TIMEOUT))
    until [ "$(redis_ping "$port" || true)" = PONG ]; do
        if (( SECONDS > deadline )); then
            docker logs "$cid" 2>&1 | tail -20 >&2 || true
            echo "$REDIS_IMAGE did not answer PING on 127.0.0.1:$port" >&2; return 1
        fi
        sleep 0.1
    done
    log "verified $REDIS_IMAGE: PONG on 127.0.0.1:$port $(elapsed "$t0") s after docker run"
    docker rm -f "$cid" >/dev/null
}

amqp_probe() {  # amqp_probe PORT: log in as guest/guest (raw handshake without `amqp`)
    "$PY" - "$1" <<'PYEOF'
import socket, sys
port = int(sys.argv[1])
try:
    import amqp
except ImportError:
    amqp = None
if amqp is not None:
    c = amqp.Connection(f"127.0.0.1:{port}", userid="guest", password="guest", connect_timeout=5)
    c.connect()
    c.close()
else:  # no client library: the broker must at least send Connection.Start
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"AMQP\x00\x00\x09\x01")
    if s.recv(1) != b"\x01":
        sys.exit(1)
PYEOF
}

http_probe() {  # http_probe URL: GET with guest/guest, exit 0 on HTTP 200
    "$PY" - "$1" <<'PYEOF'
import base64, sys, urllib.request
req = urllib.request.Request(sys.argv[1])
req.add_header("Authorization", "Basic " + base64.b64encode(b"guest:guest").decode())
with urllib.request.urlopen(req, timeout=5) as r:
    sys.exit(0 if r.status == 200 else 1)
PYEOF
}

verify_rabbitmq() {
    local port mport cid t0 t_amqp deadline
    port="$(free_port)"; mport="$(free_port)"
    while [ "$mport" = "$port" ]; do mport="$(free_port)"; done
    t0="$(now)"
    cid="$(docker run -d --rm --label "$TEST_LABEL" \
           -p "127.0.0.1:$port:5672" -p "127.0.0.1:$mport:15672" "$RABBIT_IMAGE")"
    deadline=$((SECONDS + VERIFY_TIMEOUT))
    until amqp_probe "$port" >/dev/null 2>&1; do
        if (( SECONDS > deadline )) || [ "$(docker inspect -f '{{.State.Running}}' "$cid" 2>/dev/null)" != true ]; then
            docker logs "$cid" 2>&1 | tail -30 >&2 || true
            echo "$RABBIT_IMAGE did not accept an AMQP login on 127.0.0.1:$port" >&2; return 1
        fi
        sleep 0.2
    done
    t_amqp="$(elapsed "$t0")"
    until http_probe "http://127.0.0.1:$mport/api/overview" >/dev/null 2>&1; do
        if (( SECONDS > deadline )); then
            echo "$RABBIT_IMAGE management API did not answer on 127.0.0.1:$mport" >&2; return 1
        fi
        sleep 0.2
    done
    log "verified $RABBIT_IMAGE: AMQP guest login on 127.0.0.1:$port ${t_amqp} s, management API on 127.0.0.1:$mport $(elapsed "$t0") s after docker run"
    docker rm -f "$cid" >/dev/null
}

verify_python() {  # Python, pip, venv, TLS to PyPI's certificate store, useradd
    local t0 out
    t0="$(now)"
    out="$(docker run --rm --label "$TEST_LABEL" "$PYTHON_IMAGE" sh -c \
        'python -c "import ssl, sqlite3, venv, sys; print(sys.version.split()[0])" && pip --version >/dev/null && command -v useradd >/dev/null && echo ok')" \
        || { echo "$PYTHON_IMAGE: python, pip or useradd missing" >&2; return 1; }
    log "verified $PYTHON_IMAGE: Python $(echo "$out" | head -1), pip and useradd $(elapsed "$t0") s after docker run"
}

# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------
ensure_docker_installed
ensure_engine

if [ "$FORCE" = 0 ] && image_exists "$REDIS_IMAGE"; then
    log "$REDIS_IMAGE exists; not rebuilding (use --force)"
else
    run_step build_redis
    [ "$STEP_RC" = 0 ] || die "could not build $REDIS_IMAGE"
fi
if [ "$VERIFY" = 1 ]; then
    run_step verify_redis
    [ "$STEP_RC" = 0 ] || die "$REDIS_IMAGE smoke test failed"
fi

rabbit_failed() {
    [ "$REQUIRE_RABBIT" = 0 ] || die "$1"
    warn "$1"
    warn "NOTICE: continuing without a working $RABBIT_IMAGE (the Redis image is ready); see tests/docker/README.md"
}

if [ "$WITH_RABBIT" = 1 ]; then
    if [ "$FORCE" = 0 ] && image_exists "$RABBIT_IMAGE"; then
        log "$RABBIT_IMAGE exists; not rebuilding (use --force)"
    else
        run_step build_rabbitmq
        if [ "$STEP_RC" != 0 ]; then
            docker image rm -f "$RABBIT_IMAGE" >/dev/null 2>&1 || true
            rabbit_failed "could not build $RABBIT_IMAGE"
        fi
    fi
    if [ "$VERIFY" = 1 ] && image_exists "$RABBIT_IMAGE"; then
        run_step verify_rabbitmq
        [ "$STEP_RC" = 0 ] || rabbit_failed "$RABBIT_IMAGE smoke test failed"
    fi
fi

if [ "$WITH_PYTHON" = 1 ]; then
    ensure_compose
    if [ "$FORCE" = 0 ] && image_exists "$PYTHON_IMAGE"; then
        log "$PYTHON_IMAGE exists; not rebuilding (use --force)"
    else
        run_step build_python
        [ "$STEP_RC" = 0 ] || die "could not build $PYTHON_IMAGE"
    fi
    if [ "$VERIFY" = 1 ]; then
        run_step verify_python
        [ "$STEP_RC" = 0 ] || die "$PYTHON_IMAGE smoke test failed"
    fi
fi

log "done: $(docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' \
    | grep -E "^($REDIS_IMAGE|$RABBIT_IMAGE|$PYTHON_IMAGE) " | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
