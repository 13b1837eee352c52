"""Exercise 17 (lesson 17): a client that trusts only its own CA.

Stretch (optional, no TODO): write signed_settings(key, cert, store) that returns the settings
(a dict for app.conf.update) that make an app sign with the auth serializer and accept nothing else.
附加挑战（可选，没有 TODO）：写 signed_settings(key, cert, store)，返回一个设置字典（给 app.conf.update 用），
让应用用 auth 序列化器签名，并且只接受签名内容。

Usage::

    # check it (from the repository root): the checker starts its own TLS redis-server
    python runner.py check 17

    # or by hand, against a redis-server started with --tls-port 6380 and your CA in ca.pem
    python -c "from exercises.ex17_secure import secure_app; \
secure_app('rediss://127.0.0.1:6380/0', 'ca.pem').connection_for_write().ensure_connection(max_retries=1)"
"""
import ssl

from celery import Celery

app = Celery("ex17")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


def secure_app(url, ca_file):
    """A Celery app on `url` (rediss://...) for broker and results, trusting only `ca_file`."""
    client = Celery("ex17-client", broker=url, backend=url)
    # TODO 2: the result backend opens its own connections: give it TLS options too, verifying the
    #         server's certificate against ca_file (see lesson 17, step 1).
    #         结果后端会自己建立连接：也给它 TLS 选项，用 ca_file 校验服务器证书（见第 17 课第 1 步）。
    # TODO 3: CERT_NONE encrypts but trusts any server: require a certificate signed by ca_file
    #         (see lesson 17, steps 1 and 2).
    #         CERT_NONE 会加密，但信任任何服务器：要求证书必须由 ca_file 签发（见第 17 课第 1、2 步）。
    client.conf.broker_use_ssl = {"ssl_cert_reqs": ssl.CERT_NONE}
    return client


# TODO 4: a question: with ssl_cert_reqs=ssl.CERT_NONE, is a server whose certificate another CA
#         signed accepted? Write True or False (see lesson 17, step 2 and "Try this").
#         问题：设置 ssl_cert_reqs=ssl.CERT_NONE 时，证书由另一个 CA 签发的服务器会被接受吗？
#         写 True 或 False（见第 17 课第 2 步和“动手试试”）。
CERT_NONE_ACCEPTS_ANY_SERVER = None
