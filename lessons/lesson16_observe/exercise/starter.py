"""Exercise 16 (lesson 16): a log line that leads to its task, a publish counter, a queue length.

Stretch (optional, no TODO): write queue_lengths(queues) that returns {queue: length} for several
queues over one broker connection; the checker shows a star when it works.
附加挑战（可选，没有 TODO）：写一个 queue_lengths(queues)，用一个消息代理连接返回多个队列的 {队列: 长度}。

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 16

    # or by hand: terminal 1, a worker for this file (Redis on 127.0.0.1:6379)
    celery -A exercises.ex16_observe worker -l info
    # terminal 2: send one, then find its id in the worker's log
    python -c "from exercises.ex16_observe import pack; print(pack.delay(5).id)"
"""
from celery import Celery, signals  # noqa: F401 - signals: for TODO 3
from celery.utils.log import get_task_logger  # noqa: F401 - for TODO 2
from prometheus_client import CollectorRegistry, Counter

app = Celery("ex16")
app.config_from_object("classroom.celeryconfig")

registry = CollectorRegistry()          # this module's own: start_http_server(port, registry=registry) serves it
PUBLISHED = Counter("ex16_tasks_published_total", "Task messages this process published", ["task"],
                    registry=registry)


@app.task
def pack(order):
    # TODO 2: log "packing order <order>" so that the worker's line carries this task's id and name
    #         (see lesson 16, step 1). A print or a plain logger does not.
    #         记录 "packing order <order>"，让 worker 输出的这一行带上任务的 id 和名字（见第 16 课第 1 步）。
    #         print 或普通的 logger 做不到。
    print(f"packing order {order}")
    return f"order {order} packed"


# TODO 3: count every task message this process publishes in PUBLISHED, labelled with the task's
#         name, from a signal (see lesson 16, step 2). This function is not connected to anything yet.
#         用一个信号，把本进程发布的每条任务消息按任务名计入 PUBLISHED（见第 16 课第 2 步）。这个函数还没有连接到任何信号。
def count_published(sender=None, **kwargs):
    pass


def queue_length(queue):
    """How many messages are ready in `queue`, asked of the broker: 0 for a queue that is not there."""
    # TODO 4: ask the broker. On Redis a queue is one list per priority step (the run uses a
    #         global_keyprefix, which kombu's channel.client adds); on RabbitMQ a passive
    #         queue_declare answers (see lesson 16, exporter.py).
    #         询问消息代理。在 Redis 上，一个队列是每个优先级档位一个列表（本次运行用了 global_keyprefix，
    #         kombu 的 channel.client 会自动加上）；在 RabbitMQ 上，被动的 queue_declare 会给出答案（见第 16 课 exporter.py）。
    return 0


@app.task(bind=True, max_retries=1, default_retry_delay=0.1)
def reserve(self, item):
    """Retries once (the stock service is "busy"), then succeeds."""
    if self.request.retries == 0:
        raise self.retry(exc=ConnectionError("stock service busy"))
    return f"{item} reserved"


# TODO 5: a question: reserve retries once, so two messages are published for it. Which process's
#         before_task_publish counts the second one: "client" (the one that called delay) or "worker"?
#         (see lesson 16, step 2).
#         问题：reserve 会重试一次，所以它一共发布两条消息。第二条是哪个进程的 before_task_publish 计数的：
#         "client"（调用 delay 的那个）还是 "worker"？（见第 16 课第 2 步）
RETRY_COUNTED_BY = None
