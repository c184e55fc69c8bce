"""Benchmark: the pages used all day, through the real HTTP stack, and a bounded load test.

Starts gunicorn (production settings, 3 sync workers, 127.0.0.1 only) on a database
already filled by ``generate_synthetic_data`` (see bench/README.md), signs in as demo
users, then:

- ``seq``: each target ``--requests`` times in a row after 5 warm-up requests; median,
  p95 (nearest rank), max, and any status other than 200;
- ``load``: ``--clients`` closed-loop clients for ``--seconds`` on one target each (the
  API case list, the case page), at most ``--max-requests`` requests, 30 s timeout per
  request; throughput, median, p95, errors.

Bounded: 127.0.0.1 only, the server is stopped at the end (its own process group).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/komar_bench \\
    .venv/bin/python bench/http_bench.py seq load
"""

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TIMEOUT = 30.0
PASSWORD = "komar-demo"  # noqa: S105 (the published demo password)


def p95(values: list[float]) -> float:
    """Return the 95th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


class Client:
    """One keep-alive HTTP/1.1 connection, as a browser behind the proxy would be."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        all_headers = {
            # What the documented proxy adds (docs/OPERATIONS.md).
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": HOST,
            "Accept-Encoding": "gzip",
            **self.headers,
            **(headers or {}),
        }
        if self.cookies:
            # Secure cookies, sent by hand: this client speaks plain HTTP to gunicorn.
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, data, response

    def sign_in_page(self, username: str) -> None:
        status, body, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.decode(), "login": username, "password": PASSWORD}
        ).encode()
        origin = f"https://{HOST}:{self.port}"
        status, body, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
            },
        )
        if status != 302:
            raise SystemExit(f"sign-in of {username} answered {status}")

    def sign_in_api(self, username: str) -> None:
        body = json.dumps({"username": username, "password": PASSWORD}).encode()
        status, data, _ = self.request(
            "POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}
        )
        if status not in (200, 201):
            raise SystemExit(f"token for {username} answered {status}: {data[:200]!r}")
        self.headers["Authorization"] = f"Token {json.loads(data)['token']}"


def server_start(port: int, workers: int) -> subprocess.Popen:
    """Start gunicorn with production settings on 127.0.0.1 (demo keys of this clone)."""
    keys = json.loads((ROOT / "var" / "dev-secrets.json").read_text())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "komar.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KOMAR_ENCRYPTION_KEYS": keys["KOMAR_ENCRYPTION_KEYS"],
        "KOMAR_INDEX_KEY": keys["KOMAR_INDEX_KEY"],
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://localhost:{port},https://{HOST}:{port}",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "KOMAR_REQUIRE_2FA": "false",
        "SECURE_SSL_REDIRECT": "false",
        "CELERY_BROKER_URL": "memory://",
        "KOMAR_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
        [
            str(Path(python).parent / "gunicorn"),
            "komar.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--forwarded-allow-ips",
            HOST,
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            http.client.HTTPConnection(HOST, port, timeout=2).request("GET", "/healthz")
            time.sleep(1)
            return server
        except OSError:
            time.sleep(0.5)
    server_stop(server)
    raise SystemExit("gunicorn did not start")


def server_stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def case_ids(client: Client, n: int) -> list[str]:
    status, body, _ = client.request("GET", f"/api/v1/cases/?limit={n}&sort=number")
    return [c["id"] for c in json.loads(body)["results"]]


def sequential(targets: list[tuple[str, Client, list[str]]], requests: int) -> list[dict]:
    rows = []
    for name, client, paths in targets:
        for i in range(5):
            client.request("GET", paths[i % len(paths)])
        times, bad, sizes = [], 0, []
        for i in range(requests):
            started = time.perf_counter()
            status, body, response = client.request("GET", paths[i % len(paths)])
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(int(response.getheader("Content-Length") or 0))
            bad += status != 200
        row = {
            "target": name,
            "n": requests,
            "p50": round(statistics.median(times), 1),
            "p95": round(p95(times), 1),
            "max": round(max(times), 1),
            "not_200": bad,
            "bytes_on_wire_p50": int(statistics.median(sizes)),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def load(
    name: str, make_client, paths: list[str], clients: int, seconds: float, max_requests: int
) -> dict:
    """Closed-loop load: each client sends its next request when the last one answered."""
    lock = threading.Lock()
    times: list[float] = []
    errors: dict[str, int] = {}
    sent = [0]
    deadline = time.monotonic() + seconds
    ready = [make_client() for _ in range(clients)]

    def run(client: Client, offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    return
                sent[0] += 1
            started = time.perf_counter()
            try:
                status, _, _ = client.request("GET", paths[i % len(paths)])
                error = None if status == 200 else f"status {status}"
            except Exception as exc:  # noqa: BLE001 (counted and reported)
                error = type(exc).__name__
                client.conn.close()
                client.conn = http.client.HTTPConnection(HOST, client.port, timeout=TIMEOUT)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if error:
                    errors[error] = errors.get(error, 0) + 1
                else:
                    times.append(elapsed)
            i += clients

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(c, k)) for k, c in enumerate(ready)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 10)
    wall = time.monotonic() - started
    row = {
        "target": name,
        "clients": clients,
        "seconds": round(wall, 1),
        "ok": len(times),
        "errors": errors,
        "req_per_s": round(len(times) / wall, 1),
        "p50": round(statistics.median(times), 1) if times else None,
        "p95": round(p95(times), 1) if times else None,
    }
    print(json.dumps(row), flush=True)
    return row


def page_weight(port: int, case_id: str) -> list[dict]:
    """Bytes on the wire of each main page's first load (cold cache): HTML, CSS, JS, fonts.

    Headless Chromium; each page in a fresh context holding only the session cookie.
    Sizes are Playwright's ``request.sizes()``: compressed bodies plus headers.
    """
    from playwright.sync_api import sync_playwright

    base = f"http://localhost:{port}"
    pages = [
        ("sign-in", "/accounts/login/", None),
        ("home (case worker)", "/", "caseworker"),
        ("cases list (case worker)", "/cases/", "caseworker"),
        ("cases list (admin, 1M)", "/cases/", "admin"),
        ("case page", f"/cases/{case_id}/", "admin"),
        ("register a child", "/children/register/", "caseworker"),
    ]
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for name, path, username in pages:
            cookies = []
            if username:
                client = Client(port)
                client.sign_in_page(username)
                cookies = [
                    {"name": k, "value": v, "domain": "localhost", "path": "/"}
                    for k, v in client.cookies.items()
                ]
            context = browser.new_context(
                extra_http_headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": HOST}
            )
            context.add_cookies(cookies)
            page = context.new_page()
            finished = []
            page.on("requestfinished", lambda request, into=finished: into.append(request))
            page.goto(base + path, wait_until="networkidle")
            kinds: dict[str, int] = {}
            total = 0
            for request in finished:
                sizes = request.sizes()
                size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
                kind = request.resource_type
                kinds[kind] = kinds.get(kind, 0) + size
                total += size
            row = {
                "page": name,
                "path": path.split("/cases/")[0] or path,
                "total_bytes": total,
                "by_kind": kinds,
                "requests": len(finished),
            }
            print(json.dumps(row), flush=True)
            rows.append(row)
            context.close()
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="+", choices=["seq", "load", "weight"])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=50_000)
    args = parser.parse_args()

    server = server_start(args.port, args.workers)
    try:
        port = args.port
        admin_api, worker_api = Client(port), Client(port)
        admin_api.sign_in_api("admin")
        worker_api.sign_in_api("caseworker")
        admin_page, worker_page = Client(port), Client(port)
        admin_page.sign_in_page("admin")
        worker_page.sign_in_page("caseworker")
        ids = case_ids(admin_api, 200)
        case_pages = [f"/cases/{i}/" for i in ids]
        if "seq" in args.what:
            sequential(
                [
                    ("API /api/v1/cases/ (admin, 1M in scope)", admin_api, ["/api/v1/cases/"]),
                    ("API /api/v1/cases/ (case worker)", worker_api, ["/api/v1/cases/"]),
                    (
                        "API /api/v1/cases/?sort=-updated",
                        admin_api,
                        ["/api/v1/cases/?sort=-updated"],
                    ),
                    ("API /api/v1/cases/?sort=-risk", admin_api, ["/api/v1/cases/?sort=-risk"]),
                    (
                        "API /api/v1/cases/?status=follow_up&whose=team",
                        admin_api,
                        ["/api/v1/cases/?status=follow_up&whose=team"],
                    ),
                    ("API /api/v1/children/ (admin)", admin_api, ["/api/v1/children/"]),
                    ("HTML /cases/ (admin)", admin_page, ["/cases/"]),
                    ("HTML /cases/ (case worker)", worker_page, ["/cases/"]),
                    ("HTML /cases/?sort=number", admin_page, ["/cases/?sort=number"]),
                    ("HTML / home (admin)", admin_page, ["/"]),
                    ("HTML / home (case worker)", worker_page, ["/"]),
                    ("HTML case page", admin_page, case_pages),
                ],
                args.requests,
            )
        if "weight" in args.what:
            page_weight(port, ids[0])
        if "load" in args.what:

            def api_client() -> Client:
                client = Client(port)
                client.headers = dict(admin_api.headers)
                return client

            def page_client() -> Client:
                client = Client(port)
                client.cookies = dict(admin_page.cookies)
                return client

            bounds = (args.clients, args.seconds, args.max_requests)
            load("API /api/v1/cases/", api_client, ["/api/v1/cases/"], *bounds)
            time.sleep(5)
            load("HTML case page", page_client, case_pages, *bounds)
    finally:
        server_stop(server)


if __name__ == "__main__":
    main()
