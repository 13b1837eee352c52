"""Checks for exercise 17: python runner.py check 17.

The checker makes a CA, a second CA and a certificate for 127.0.0.1 with openssl, starts its own
redis-server with only a TLS port on 127.0.0.1 (stopped at the end), and connects with the
student's secure_app: once with the right CA, once with the other one.
"""
import atexit
import os
import ssl
import shutil
import socket
import subprocess
import tempfile
import time

from classroom.lessonkit import Checker

checker = Checker()
_server: dict = {}      # the TLS redis-server of this check run, started by the first check


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=20)


def _tls_server() -> dict:
    """Certificates and a TLS redis-server, once per check run (stopped by _stop at the end)."""
    if _server:
        return _server
    folder = tempfile.mkdtemp(prefix="ex17-")
    p = {n: os.path.join(folder, n) for n in ("ca.key", "ca.pem", "other.key", "other.pem", "s.key", "s.csr",
                                              "s.pem", "ext.cnf")}
    with open(p["ext.cnf"], "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1\n")
    for key, pem, cn in (("ca.key", "ca.pem", "/CN=exercise CA"), ("other.key", "other.pem", "/CN=other CA")):
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", cn,
                 "-keyout", p[key], "-out", p[pem])
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", p["s.key"], "-out", p["s.csr"])
    _openssl("x509", "-req", "-in", p["s.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca.key"], "-CAcreateserial",
             "-days", "1", "-extfile", p["ext.cnf"], "-out", p["s.pem"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", "0", "--tls-port", str(port),
                             "--tls-cert-file", p["s.pem"], "--tls-key-file", p["s.key"], "--tls-ca-cert-file",
                             p["ca.pem"], "--tls-auth-clients", "no", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    _server.update(proc=proc, folder=folder, url=f"rediss://127.0.0.1:{port}/0", **p)
    atexit.register(_stop)                        # an interrupted check leaves no redis-server behind
    return _server


def _stop() -> None:
    if _server:
        _server["proc"].terminate()
        try:
            _server["proc"].wait(5)
        except subprocess.TimeoutExpired:
            _server["proc"].kill()
        shutil.rmtree(_server["folder"], ignore_errors=True)
        _server.clear()


def _connects(app, backend: bool = True) -> str:
    """'' when the broker and the result backend both answer over TLS, else what went wrong."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=3)
        if backend:
            app.backend.client.ping()
        return ""
    except Exception as exc:                      # what the student's app raised, shown to them
        return f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"


@checker.check({"en": "secure_app(url, ca) reaches the broker and the result backend over TLS",
                "zh": "secure_app(url, ca) 通过 TLS 连上消息代理和结果后端"})
def right_ca(ctx):
    server = _tls_server()
    try:
        said = _connects(ctx.client("secure_app", server["url"], server["ca.pem"]))
    except Exception:
        _stop()
        raise
    ctx.data["right_ca"] = said
    if said:
        _stop()
    ctx.expect(not said, {"en": "the broker and the result backend to answer over TLS",
                          "zh": "消息代理和结果后端都通过 TLS 应答"},
               {"en": f"it failed: {said}", "zh": f"失败了：{said}"})


@checker.check({"en": "an app given another CA is refused (the server's certificate is verified)",
                "zh": "给了另一个 CA 的应用被拒绝（服务器证书经过校验）"})
def other_ca(ctx):
    server = _tls_server()
    try:
        said = _connects(ctx.client("secure_app", server["url"], server["other.pem"]))
    finally:
        _stop()
    ctx.data["other_ca"] = said
    ctx.expect("CERTIFICATE_VERIFY_FAILED" in said,
               {"en": "the connection to be refused: certificate verify failed",
                "zh": "连接被拒绝：证书校验失败"},
               {"en": f"it was accepted ({said or 'connected'}): the server's certificate is not checked",
                "zh": f"连接被接受了（{said or '已连接'}）：没有校验服务器证书"})


@checker.explain({"en": "CERT_NONE_ACCEPTS_ANY_SERVER says what ssl.CERT_NONE really does with a stranger's server",
                  "zh": "CERT_NONE_ACCEPTS_ANY_SERVER 说出了 ssl.CERT_NONE 对陌生服务器真正的做法"})
def cert_none(ctx):
    from celery import Celery
    server = _tls_server()
    try:
        app = Celery("ex17-cert-none", broker=server["url"])
        app.conf.broker_use_ssl = {"ssl_cert_reqs": ssl.CERT_NONE, "ssl_ca_certs": server["other.pem"]}
        real = _connects(app, backend=False) == ""
    finally:
        _stop()
    answer = getattr(ctx.module, "CERT_NONE_ACCEPTS_ANY_SERVER", None)
    ctx.data.update(answer=answer, real=real)
    ctx.expect(answer is real, {"en": f"CERT_NONE_ACCEPTS_ANY_SERVER to be {real} (what happened just now)",
                                "zh": f"CERT_NONE_ACCEPTS_ANY_SERVER 为 {real}（刚才实际发生的）"},
               {"en": f"it is {answer!r}", "zh": f"它是 {answer!r}"})


@checker.stretch({"en": "stretch: signed_settings(key, cert, store) turns on the auth serializer and nothing else",
                  "zh": "附加挑战：signed_settings(key, cert, store) 打开 auth 序列化器，且只接受它"})
def signed(ctx):
    settings = ctx.client("signed_settings", "k.pem", "c.pem", "store/")
    wanted = {"security_key": "k.pem", "security_certificate": "c.pem", "security_cert_store": "store/",
              "task_serializer": "auth", "accept_content": ["auth"]}
    wrong = sorted(k for k, v in wanted.items() if (settings or {}).get(k) != v)
    ctx.data["wrong"] = wrong
    ctx.expect(not wrong, {"en": "the security settings, task_serializer='auth' and accept_content=['auth']",
                           "zh": "安全设置、task_serializer='auth' 以及 accept_content=['auth']"},
               {"en": f"these are missing or wrong: {', '.join(wrong)}", "zh": f"这些缺失或不对：{', '.join(wrong)}"})
