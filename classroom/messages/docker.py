"""Docker messages: `up`, `down`, `status`, the lessons' auto-start, and each reason Docker cannot be used.

A problem has a full message (what happened, the fix) and a `_short` clause for the one-line reason a
lesson prints when it falls back to memory mode.
"""

MESSAGES = {
    # --- why Docker cannot be used ---
    "docker.disabled": {
        "en": "Docker use is turned off by {env}=off. Unset it to let the runner start brokers in Docker.",
        "zh": "Docker 已被 {env}=off 关闭。取消这个环境变量后，runner 才会在 Docker 中启动消息代理。",
    },
    "docker.disabled_short": {"en": "Docker use is turned off by {env}=off", "zh": "Docker 已被 {env}=off 关闭"},
    "docker.no_sdk": {
        "en": "The Python package `docker` is missing, so the runner cannot talk to Docker.\n"
              "Fix: pip install -r requirements.txt",
        "zh": "缺少 Python 包 `docker`，runner 无法与 Docker 通信。\n解决办法：pip install -r requirements.txt",
    },
    "docker.no_sdk_short": {"en": "the Python package docker is missing", "zh": "缺少 Python 包 docker"},
    "docker.not_installed": {
        "en": "Docker is not installed here (no docker program, no engine at {address}).\n"
              "Fix: install Docker Desktop (Windows, macOS) or Docker Engine (Linux, e.g. sudo apt install docker.io), "
              "or do without it: memory mode needs nothing, and --broker redis uses a local redis-server.",
        "zh": "本机没有安装 Docker（找不到 docker 程序，{address} 上也没有 Docker 引擎）。\n"
              "解决办法：安装 Docker Desktop（Windows、macOS）或 Docker Engine（Linux，例如 sudo apt install docker.io）；"
              "也可以不用 Docker：内存模式什么都不需要，--broker redis 会使用本机的 redis-server。",
    },
    "docker.not_installed_short": {"en": "Docker is not installed", "zh": "没有安装 Docker"},
    "docker.not_running": {
        "en": "Docker is installed, but its engine is not running (no socket at {address}).\n"
              "Fix: start Docker Desktop, or on Linux: sudo systemctl start docker. Check with: docker info",
        "zh": "Docker 已安装，但引擎没有运行（{address} 处没有 Docker 套接字）。\n"
              "解决办法：启动 Docker Desktop；Linux 上运行：sudo systemctl start docker。用 docker info 检查。",
    },
    "docker.not_running_short": {"en": "the Docker engine is not running", "zh": "Docker 引擎没有运行"},
    "docker.permission": {
        "en": "Permission denied on the Docker socket {address} for user {user}.\n"
              "Fix (Linux): sudo usermod -aG docker {user}, then log out and back in (or run: newgrp docker). "
              "Do not run the course with sudo.",
        "zh": "用户 {user} 没有权限访问 Docker 套接字 {address}。\n"
              "解决办法（Linux）：sudo usermod -aG docker {user}，然后注销并重新登录（或运行 newgrp docker）。"
              "不要用 sudo 运行本课程。",
    },
    "docker.permission_short": {"en": "permission denied on {address}", "zh": "没有权限访问 {address}"},
    "docker.not_answering": {
        "en": "The Docker engine at {address} did not answer: {detail}\n"
              "Fix: start or restart Docker (Docker Desktop, or sudo systemctl restart docker). Check with: docker info",
        "zh": "{address} 上的 Docker 引擎没有应答：{detail}\n"
              "解决办法：启动或重启 Docker（Docker Desktop，或 sudo systemctl restart docker）。用 docker info 检查。",
    },
    "docker.not_answering_short": {"en": "the Docker engine at {address} does not answer",
                                   "zh": "{address} 上的 Docker 引擎没有应答"},
    "docker.image_missing": {
        "en": "The image {image} is not on this machine and could not be downloaded: {detail}\n"
              "Fix: when online, run docker pull {image}. Behind a firewall, set a registry mirror "
              "(\"registry-mirrors\" in /etc/docker/daemon.json or Docker Desktop's settings), load the image with "
              "docker load, or name another image with {image_env}=IMAGE.",
        "zh": "本机没有镜像 {image}，而且无法下载：{detail}\n"
              "解决办法：联网后运行 docker pull {image}。如果无法直接访问 Docker Hub，请配置镜像加速器"
              "（/etc/docker/daemon.json 或 Docker Desktop 设置中的 \"registry-mirrors\"），或用 docker load 导入镜像，"
              "或用 {image_env}=镜像名 指定另一个镜像。",
    },
    "docker.image_missing_short": {"en": "the image {image} is missing and cannot be downloaded",
                                   "zh": "缺少镜像 {image}，且无法下载"},
    "docker.port_taken": {
        "en": "Port {port} on 127.0.0.1 is already in use by {holder}, so the {title} container cannot publish it. "
              "The runner never stops what it did not start. Choose one:\n"
              "  • {use}\n"
              "  • start the container on another port: python runner.py up {service} --port {free}\n"
              "    (lessons then find it by themselves; or set {env}={free} and a lesson starts it there)",
        "zh": "127.0.0.1 的端口 {port} 已被 {holder} 占用，所以 {title} 容器无法使用它。"
              "runner 绝不会停止不是它启动的程序。请选择：\n"
              "  • {use}\n"
              "  • 让容器使用另一个端口：python runner.py up {service} --port {free}\n"
              "    （之后课程会自动找到它；也可以设置 {env}={free}，由课程在这个端口上启动它）",
    },
    "docker.port_taken_short": {"en": "port {port} is in use by {holder}", "zh": "端口 {port} 已被 {holder} 占用"},
    "docker.choice_use": {"en": "use the broker that already answers there: python runner.py lesson 1 --broker-url {url}",
                          "zh": "直接使用那里已在应答的消息代理：python runner.py lesson 1 --broker-url {url}"},
    "docker.choice_not_broker": {
        "en": "it is not a broker the course can use ({url} does not answer); if you do not need that program, stop it yourself",
        "zh": "它不是本课程可用的消息代理（{url} 没有应答）；如果你不需要那个程序，请自行停止它",
    },
    "docker.holder_container": {"en": "the container {name} ({image})", "zh": "容器 {name}（{image}）"},
    "docker.holder_process": {"en": "{who}", "zh": "{who}"},
    "docker.holder_unknown": {"en": "a program this user cannot see (another user's, or outside this system)",
                              "zh": "当前用户看不到的程序（属于其他用户，或在本系统之外）"},
    "docker.name_taken": {
        "en": "A container named {name} already exists, but the runner did not make it (image {image}, state {state}; "
              "the runner's would run {ours} and carry the label {label}). It is left as it is.\n"
              "Fix: if you do not need it, remove it yourself: docker rm -f {name}; then run the command again.",
        "zh": "已经存在名为 {name} 的容器，但它不是 runner 创建的（镜像 {image}，状态 {state}；"
              "runner 创建的容器使用 {ours}，并带有标签 {label}）。runner 不会动它。\n"
              "解决办法：如果不需要它，请自行删除：docker rm -f {name}，然后重新运行命令。",
    },
    "docker.name_taken_short": {"en": "another container is named {name}", "zh": "已有另一个名为 {name} 的容器"},
    "docker.other_port": {
        "en": "The runner's container {name} already publishes port {port}, not {wanted}.\n"
              "Fix: use it as it is (python runner.py up {service}), or remove it first: python runner.py down {service}",
        "zh": "runner 的容器 {name} 已经在使用端口 {port}，而不是 {wanted}。\n"
              "解决办法：直接使用它（python runner.py up {service}），或先删除它：python runner.py down {service}",
    },
    "docker.other_port_short": {"en": "{name} publishes port {port}, not {wanted}",
                                "zh": "{name} 使用的是端口 {port}，而不是 {wanted}"},
    "docker.bad_state": {
        "en": "The runner's container {name} is {state}; it cannot be used now.\n"
              "Fix: python runner.py down, then python runner.py up",
        "zh": "runner 的容器 {name} 处于 {state} 状态，暂时无法使用。\n"
              "解决办法：先运行 python runner.py down，再运行 python runner.py up",
    },
    "docker.bad_state_short": {"en": "{name} is {state}", "zh": "{name} 处于 {state} 状态"},
    "docker.exited": {
        "en": "The container {name} stopped ({state}) before its broker answered. Its last log lines:\n{logs}\n"
              "Fix: look at docker logs {name}; python runner.py down removes it.",
        "zh": "容器 {name} 在消息代理应答之前就停止了（{state}）。它最后几行日志：\n{logs}\n"
              "解决办法：查看 docker logs {name}；python runner.py down 可以删除它。",
    },
    "docker.exited_short": {"en": "the container {name} stopped", "zh": "容器 {name} 停止了"},
    "docker.not_ready": {
        "en": "{title} in the container {name} did not answer on {url} within {seconds:.0f} s. Its last log lines:\n{logs}\n"
              "Fix: run python runner.py up again (it waits again), or look at docker logs {name}.",
        "zh": "容器 {name} 中的 {title} 在 {seconds:.0f} 秒内没有在 {url} 上应答。它最后几行日志：\n{logs}\n"
              "解决办法：再运行一次 python runner.py up（它会再次等待），或查看 docker logs {name}。",
    },
    "docker.not_ready_short": {"en": "{title} in Docker did not answer within {seconds:.0f} s",
                               "zh": "Docker 中的 {title} 在 {seconds:.0f} 秒内没有应答"},
    "docker.failed": {
        "en": "Docker refused the request: {detail}\nFix: check with docker info and python runner.py status.",
        "zh": "Docker 拒绝了请求：{detail}\n解决办法：用 docker info 和 python runner.py status 检查。",
    },
    "docker.failed_short": {"en": "Docker refused: {detail}", "zh": "Docker 拒绝了请求：{detail}"},
    # --- progress ---
    "docker.pulling": {"en": "Downloading the image {image} (first time only)…", "zh": "正在下载镜像 {image}（仅首次需要）…"},
    "docker.pull_progress": {"en": "Downloading {image}: {done:.1f} of {total:.1f} MB",
                             "zh": "正在下载 {image}：{done:.1f} / {total:.1f} MB"},
    "docker.creating": {"en": "Starting container {name} ({image}) on {host}:{port}…",
                        "zh": "正在启动容器 {name}（{image}），端口 {host}:{port}…"},
    "docker.restarting": {"en": "Restarting the stopped container {name}…", "zh": "正在重新启动已停止的容器 {name}…"},
    "docker.waiting": {"en": "Waiting for {title} to answer on {url}: {seconds:.0f} s (at most {limit:.0f} s)",
                       "zh": "正在等待 {title} 在 {url} 上应答：{seconds:.0f} 秒（最多 {limit:.0f} 秒）"},
    # --- the line a lesson prints about its broker ---
    "docker.reason_created": {
        "en": "{title} mode: none was running, so the runner started {title} in Docker (container {name}, {image}) "
              "at {url}, ready in {seconds:.1f} s. It keeps running for the next lessons; "
              "python runner.py down stops it.",
        "zh": "{title} 模式：没有正在运行的 {title}，runner 已在 Docker 中启动了它（容器 {name}，{image}），"
              "地址 {url}，{seconds:.1f} 秒后就绪。它会继续运行，供后面的课程使用；python runner.py down 可以停止它。",
    },
    "docker.reason_started": {
        "en": "{title} mode: the runner restarted its stopped {title} container {name} at {url}, ready in {seconds:.1f} s. "
              "It keeps running for the next lessons; python runner.py down stops it.",
        "zh": "{title} 模式：runner 重新启动了已停止的 {title} 容器 {name}，地址 {url}，{seconds:.1f} 秒后就绪。"
              "它会继续运行，供后面的课程使用；python runner.py down 可以停止它。",
    },
    "docker.reason_reused": {
        "en": "{title} mode: using the runner's {title} in Docker (container {name}) at {url}. "
              "python runner.py down stops it.",
        "zh": "{title} 模式：使用 runner 在 Docker 中运行的 {title}（容器 {name}），地址 {url}。"
              "python runner.py down 可以停止它。",
    },
}
