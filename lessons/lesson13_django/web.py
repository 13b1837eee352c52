"""A small HTTP client for the lesson's Django server: every request bounded by bounds.HTTP_S.

It behaves as the demo's own page does: it reads the CSRF cookie from a GET of "/" and sends the
token back with each POST (Django's CsrfViewMiddleware refuses a POST without it).
"""
from __future__ import annotations

import http.cookiejar
import json
import time
import urllib.error
import urllib.request

from classroom.runtime import bounds


class Browser:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=bounds.HTTP_S) as reply:
            return reply.status, reply.read().decode("utf-8")

    def get_json(self, path: str) -> dict:
        return json.loads(self.get(path)[1])

    def post_json(self, path: str, data: dict) -> tuple[int, dict, float]:
        """POST JSON with the CSRF token; returns (status, body, seconds the request took)."""
        if not any(c.name == "csrftoken" for c in self.cookies):
            self.get("/")
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        request = urllib.request.Request(self.base + path, data=json.dumps(data).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "X-CSRFToken": token})
        began = time.monotonic()
        try:
            with self.opener.open(request, timeout=bounds.HTTP_S) as reply:
                return reply.status, json.loads(reply.read()), time.monotonic() - began
        except urllib.error.HTTPError as error:
            return error.code, {"error": error.read().decode("utf-8", "replace")[:300]}, time.monotonic() - began


def browser(run) -> Browser:
    """The client for this run's web service (lesson.toml [[services]] name = "web")."""
    return Browser(run.service("web").port)
