"""Lesson 16's web app: POST /checkout starts a SERVER span and calls checkout.delay(order) inside it.

Usage::

    # with a worker running (see tasks.py), from the repository root; the spans print to this terminal
    python -m lessons.lesson16_observe.web 8000
    curl -d order=7 http://127.0.0.1:8000/checkout
"""
import contextlib
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.propagate import extract
from opentelemetry.trace import SpanKind, format_trace_id

from . import tasks, tracing


class Checkout(BaseHTTPRequestHandler):
    tracer = None                                    # serve() sets it

    def do_POST(self):
        if self.path != "/checkout":
            return self.send_error(404)
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        # A caller's traceparent header would make this span its child; without one, the trace starts here.
        with self.tracer.start_as_current_span("POST /checkout", context=extract(self.headers),
                                               kind=SpanKind.SERVER) as span:
            result = tasks.checkout.delay(int(form["order"][0]))   # apply_async/...: a child of this span
            span.set_attributes({"http.request.method": "POST", "url.path": self.path,
                                 "http.response.status_code": 202})
        body = json.dumps({"task_id": result.id, "trace_id": format_trace_id(span.get_span_context().trace_id)})
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):                    # no access log on the lesson's screen
        pass


@contextlib.contextmanager
def serve(tracer_provider, port: int = 0):
    """The app on 127.0.0.1 (port 0: a free one) in a thread of this process; yields its base URL."""
    Checkout.tracer = tracer_provider.get_tracer(__name__)
    server = ThreadingHTTPServer(("127.0.0.1", port), Checkout)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()                            # returns within one poll_interval
        server.server_close()


if __name__ == "__main__":
    with tracing.instrumented("web") as provider, serve(provider, int(sys.argv[1])) as url:
        print(f"POST {url}/checkout (Ctrl+C stops)")
        threading.Event().wait()
