"""The pieces of the two-host test: app hosts (gunicorn from their own copies), nginx on the shipped
configuration, and a small browser (cookies, CSRF tokens, Referer) that says which proxy port it uses."""
from __future__ import annotations

import contextlib
import functools
import getpass
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from ipaddress import IPv4Address
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
TOP_LEVEL_BLOCK = re.compile(r"^(upstream|server|map)\b[^{]*\{", re.M)


CHECKS = {"passed": 0}


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    CHECKS["passed"] += 1
    print(f"    ok: {what}")


@contextlib.contextmanager
def phase(title: str):
    print(f"== {title}", flush=True)
    started = time.monotonic()
    yield
    print(f"   ({time.monotonic() - started:.1f} s)", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def make_certificate(work: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the test's TLS termination)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
                   .not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                   .sign(key, hashes.SHA256()))
    cert, key_file = work / "tls.crt", work / "tls.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_file.chmod(0o600)
    return cert, key_file


def postgres_admin_url() -> URL:
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        value = os.environ.get(name, "")
        if value.startswith(("postgresql", "postgres:")):
            return make_url(value.replace("postgres://", "postgresql+psycopg://", 1))
    return make_url("postgresql+psycopg://postgres@127.0.0.1:5432/test")


def redis_client(db: int):
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=db, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis on 127.0.0.1:6379 is needed ({exc}); .ci/run starts it") from None
    return client


# --- the app hosts ------------------------------------------------------------------------------

_NOT_COPIED = {".git", ".venv", "instance", "__pycache__", "node_modules", "out"}


def _tracked_files(root: Path) -> list[str]:
    """The repository's files (git's view when it is a checkout: committed and new, not ignored)."""
    try:
        listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=root,
                                capture_output=True, check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked archive)
        listed = [str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and not _NOT_COPIED & set(p.relative_to(root).parts) and p.suffix not in (".pyc", ".mo")]
    return [name for name in listed if name and (root / name).is_file()]


class Hosts:
    """Two gunicorn hosts, each from its own copy of the repository, on one database and one Redis."""

    def __init__(self, root: Path, work: Path, admin_url: URL, database: str, redis_db: int):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self.admin_url = admin_url
        self.database = database
        self.url = admin_url.set(database=database).render_as_string(hide_password=False)
        self.ports = {1: free_port(), 2: free_port()}
        self.processes: dict[int, subprocess.Popen] = {}
        self.logs = {n: work / f"host{n}.log" for n in (1, 2)}
        self.metrics_token = secrets.token_hex(16)
        shared = {
            "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": self.url,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{redis_db}", "TRUSTED_PROXIES": "1",
            "SIGNING_KEY": Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()).decode(),
            "LOG_FORMAT": "json", "METRICS_TOKEN": self.metrics_token,
            # a low per-address ceiling so the test can show it is shared through Redis
            "RATELIMIT_LOGIN": "10 per minute",
        }
        base = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_APP", "PYTHONPATH")}
        self.envs = {}
        for n in (1, 2):
            copy = work / f"host{n}"
            for name in _tracked_files(root):
                target = copy / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(root / name, target)
            subprocess.run([str(Path(sys.executable).parent / "pybabel"), "compile", "-d",
                            "elearn/translations"], cwd=copy, check=True, capture_output=True)
            (copy / "courses-uji").mkdir()
            self.envs[n] = {**base, **shared, "COURSES_DIR": str(copy / "courses-uji")}

    def copy(self, n: int) -> Path:
        return self.logs[n].parent / f"host{n}"

    def courses(self, n: int) -> Path:
        return Path(self.envs[n]["COURSES_DIR"])

    def run(self, n: int, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(args, cwd=self.copy(n), env=self.envs[n], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(args[1:4])} on host {n} failed: {done.stderr[-1500:]}")
        return done

    def _admin(self):
        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def create_database(self) -> None:
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.database}"'))
        engine.dispose()

    def drop_database(self) -> None:
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        engine.dispose()

    def start(self) -> None:
        for n in (1, 2):
            metrics = self.copy(n) / "metrics"
            env = {**self.envs[n], "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
            with open(self.logs[n], "ab") as log:
                self.processes[n] = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{self.ports[n]}",
                     "--control-socket", str(self.copy(n) / "gunicorn.ctl"), "wsgi:app"], cwd=self.copy(n), env=env, stdout=log, stderr=log, start_new_session=True)
        for n in (1, 2):
            self._wait_ready(n)

    def _wait_ready(self, n: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.processes[n].poll() is not None:
                raise AssertionError(f"host {n} exited: {self.logs[n].read_text()[-1500:]}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[n]}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        print(f"    host {n}: gunicorn on 127.0.0.1:{self.ports[n]}, ready (/readyz)")
                        return
            time.sleep(0.2)
        raise AssertionError(f"host {n} not ready after 60 s")

    def freeze(self, n: int) -> None:
        """SIGSTOP the host: it still accepts connections (the kernel does) but answers nothing."""
        os.killpg(self.processes[n].pid, signal.SIGSTOP)

    def kill(self, n: int) -> None:
        """SIGKILL the host's gunicorn master and workers at once: a host that dies, not one that stops."""
        os.killpg(self.processes[n].pid, signal.SIGKILL)
        self.processes[n].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGCONT)  # a frozen host must wake to hear the TERM
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def served_by(self, response) -> int | None:
        """The host whose access log holds the response's request id."""
        needle = f'"request_id": "{response.request_id}"'
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            for n, log in self.logs.items():
                if needle in log.read_text(errors="replace"):
                    return n
            time.sleep(0.05)
        return None

    def _query(self, sql: str):
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql)).all()
        finally:
            engine.dispose()

    def stored_responses(self) -> dict[int, dict]:
        rows = self._query("SELECT a.id, a.state, a.responses FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id "
                           "JOIN courses c ON c.id = q.course_id WHERE c.slug = 'ujian' AND q.slug = 'exam'")
        return {row.id: {"state": row.state, "responses": row.responses} for row in rows}

    def audit_addresses(self) -> set[str]:
        return {row.ip for row in self._query("SELECT DISTINCT ip FROM audit_events WHERE ip IS NOT NULL")}

    def scrape(self, n: int) -> str:
        request = urllib.request.Request(f"http://127.0.0.1:{self.ports[n]}/metrics",
                                         headers={"Authorization": f"Bearer {self.metrics_token}"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.read().decode()

    def show_logs(self) -> None:
        for n, log in self.logs.items():
            print(f"--- host {n} log (end)", file=sys.stderr)
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)


# --- nginx --------------------------------------------------------------------------------------

def top_level_blocks(conf: str) -> list[tuple[str, str]]:
    """The site file's top-level statements as (first word, text): blocks by brace counting."""
    conf = "\n".join(line for line in conf.splitlines() if not line.strip().startswith("#"))
    statements, depth, start = [], 0, 0
    for index, char in enumerate(conf):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                statements.append(conf[start:index + 1])
                start = index + 1
        elif char == ";" and depth == 0:
            statements.append(conf[start:index + 1])
            start = index + 1
    return [(statement.split()[0], statement.strip()) for statement in statements if statement.strip()]


def replace_once(text_: str, pattern: str, replacement: str) -> str:
    result, count = re.subn(pattern, replacement, text_, flags=re.M)
    if count != 1:
        raise AssertionError(f"the shipped nginx files changed: {pattern!r} matched {count} times, expected once")
    return result


class Nginx:
    """nginx on the shipped files: the front (both hosts) and one port per host."""

    def __init__(self, root: Path, work: Path, cert: Path, key: Path, ports: dict, host_ports: dict, copy: Path):
        self.ports = ports
        self.prefix = work / "nginx"
        self.prefix.mkdir()
        self.conf = self.prefix / "nginx.conf"
        self.error_log = self.prefix / "error.log"
        site = (root / "deploy/nginx/binapustaka.conf").read_text()
        snippet = (root / "deploy/nginx/binapustaka-app.conf").read_text()
        snippet = replace_once(snippet, r"^(\s*)root /srv/binapustaka/app/elearn;", rf"\1root {copy}/elearn;")
        blocks = top_level_blocks(site)
        upstream = next(body for word, body in blocks if word == "upstream")
        https = next(body for word, body in blocks if word == "server" and "binapustaka-app.conf" in body)
        http_level = [body for word, body in blocks if word not in ("upstream", "server")]
        upstreams, servers = [], []
        for name, members in (("binapustaka", (1, 2)), ("binapustaka_h1", (1,)), ("binapustaka_h2", (2,))):
            lines = "\n".join(f"    server 127.0.0.1:{host_ports[n]}\\1;" for n in members)
            block = replace_once(upstream, r"^\s*server 127\.0\.0\.1:8000(.*);$", lines)
            upstreams.append(block.replace("upstream binapustaka {", f"upstream {name} {{", 1))
            variant = self.prefix / f"app-{name}.conf"
            variant.write_text(replace_once(snippet, r"proxy_pass http://binapustaka;", f"proxy_pass http://{name};"))
            server = replace_once(https, r"^\s*listen 443 ssl http2;$",
                                  f"    listen 127.0.0.1:{ports['front' if name == 'binapustaka' else members[0]]} "
                                  "ssl http2;")
            server = replace_once(server, r"^\s*listen \[::\]:443 ssl http2;$", "")
            server = replace_once(server, r"ssl_certificate /etc/letsencrypt/\S+;", f"ssl_certificate {cert};")
            server = replace_once(server, r"ssl_certificate_key /etc/letsencrypt/\S+;", f"ssl_certificate_key {key};")
            server = replace_once(server, r"access_log /var/log/nginx/\S+ binapustaka;",
                                  f"access_log {self.prefix}/access.log binapustaka;")
            server = replace_once(server, r"error_log /var/log/nginx/\S+ warn;", f"error_log {self.error_log} warn;")
            servers.append(replace_once(server, r"include snippets/binapustaka-app.conf;", f"include {variant};"))
        temp = "\n".join(f"    {kind}_temp_path {self.prefix}/{kind}_temp;" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        self.conf.write_text(
            f"{user}worker_processes 1;\npid {self.prefix}/nginx.pid;\nerror_log {self.error_log} warn;\n"
            f"load_module {BROTLI_MODULE};\nevents {{ worker_connections 512; }}\n"
            "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"{temp}\n" + "\n".join(http_level + upstreams + servers) + "\n}\n")
        self.process: subprocess.Popen | None = None

    @staticmethod
    def ensure_installed() -> None:
        if shutil.which("nginx") and BROTLI_MODULE.exists():
            return
        if os.geteuid() != 0:
            raise SystemExit("nginx is missing: apt-get install nginx libnginx-mod-http-brotli-filter")
        print("    installing nginx from Debian (apt-get)", flush=True)
        policy = Path("/usr/sbin/policy-rc.d")
        made_policy = not policy.exists()
        if made_policy:  # the package must not start a system nginx on port 80
            policy.write_text("#!/bin/sh\nexit 101\n")
            policy.chmod(0o755)
        try:
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
            subprocess.run(["apt-get", "install", "-y", "-qq", "nginx", "libnginx-mod-http-brotli-filter"],
                           check=True, env=env, stdout=subprocess.DEVNULL)
        finally:
            if made_policy:
                policy.unlink()

    def start(self) -> None:
        tested = subprocess.run(["nginx", "-t", "-q", "-p", str(self.prefix), "-c", str(self.conf)],
                                capture_output=True, text=True)
        if tested.returncode != 0:
            raise AssertionError(f"nginx -t refused the configuration: {tested.stderr}")
        self.process = subprocess.Popen(["nginx", "-p", str(self.prefix), "-c", str(self.conf), "-g", "daemon off;"],
                                        start_new_session=True)
        for port in self.ports.values():
            wait_for_port(port)
        print(f"    nginx: front 127.0.0.1:{self.ports['front']}, via host 1 :{self.ports[1]}, "
              f"via host 2 :{self.ports[2]} (TLS)")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)

    def show_log(self) -> None:
        if self.error_log.exists():
            print("--- nginx error log (end)", file=sys.stderr)
            print(self.error_log.read_text(errors="replace")[-2000:], file=sys.stderr)


# --- the browser --------------------------------------------------------------------------------

class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.request_id = headers.get("X-Request-ID")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _FromAddress(urllib.request.HTTPSHandler):
    """Connects from a chosen loopback address (the whole of 127.0.0.0/8 is this machine)."""

    def __init__(self, context: ssl.SSLContext, source: str):
        super().__init__(context=context)
        self.source = source

    def https_open(self, req):
        return self.do_open(functools.partial(http.client.HTTPSConnection, source_address=(self.source, 0)), req,
                            context=self._context)


class Person:
    """One browser: its own cookies and CSRF token; ``via`` is "front", 1 or 2 (the proxy port used)."""

    def __init__(self, browser: "Browser", source: str = "127.0.0.1"):
        self.browser = browser
        self.opener = urllib.request.build_opener(_FromAddress(browser.tls, source),
                                                  urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)
        self.csrf: str | None = None
        self.last: Response | None = None

    def request(self, method: str, path: str, via, body: bytes | None = None, headers: dict | None = None) -> Response:
        url = f"https://127.0.0.1:{self.browser.ports[via]}{path}"
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Referer": url, "Accept-Encoding": "identity", **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:
            response = Response(answer.code, answer.headers, answer.read())
        if response.headers.get("Content-Type", "").startswith("text/html") and not response.headers.get(
                "Content-Encoding"):
            found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', response.text)
            if found:
                self.csrf = found.group(1)
        self.last = response
        return response

    def get(self, path: str, via, headers: dict | None = None) -> Response:
        return self.request("GET", path, via, headers=headers)

    def post(self, path: str, data: dict | None = None, via="front") -> Response:
        if self.csrf is None:
            self.get("/", via)
        form = urllib.parse.urlencode({**(data or {}), "csrf_token": self.csrf}, doseq=True).encode()
        return self.request("POST", path, via, form, {"Content-Type": "application/x-www-form-urlencoded"})

    def announce_body(self, path: str, size: int, via) -> int:
        """Send only the headers of a POST of ``size`` bytes; the status the proxy answers (before any body)."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.browser.ports[via], context=self.browser.tls,
                                                 timeout=10)
        try:
            connection.putrequest("POST", path)
            connection.putheader("Content-Type", "application/x-www-form-urlencoded")
            connection.putheader("Content-Length", str(size))
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    def login(self, email: str, password: str, via) -> Response:
        self.get("/login", via)
        answer = self.post("/login", {"email": email, "password": password}, via)
        if answer.status == 302:
            self.get("/", via)  # the session was renewed at login: fetch a fresh CSRF token
        self.last = answer
        return answer

    def start_exam(self, path: str) -> dict:
        started = self.post(path, via="front")
        found = re.search(r"/attempts/(\d+)/", started.headers.get("Location", ""))
        if started.status != 302 or not found:
            raise AssertionError(f"exam start answered {started.status}")
        attempt = self.get(f"/attempts/{found.group(1)}.json", via="front").json()
        self.last = started
        return attempt

    def submit_exam(self, attempt: dict, answer_text: str) -> Response:
        form = {}
        for question in attempt["questions"]:
            name = f"q-{question['key']}"
            if question["type"] == "single":
                form[name] = next(str(o["index"]) for o in question["options"] if "Dublin Core" in o["html"])
            else:
                form[name] = answer_text
        return self.post(f"/attempts/{attempt['id']}/submit", form, via="front")


class Browser:
    def __init__(self, cert: Path, ports: dict, hosts: Hosts):
        self.tls = ssl.create_default_context(cafile=str(cert))
        self.ports = ports
        self.hosts = hosts

    def person(self, source: str = "127.0.0.1") -> Person:
        return Person(self, source)

    @staticmethod
    def visible_text(response: Response) -> str:
        main = re.search(r"<main.*?</main>", response.text, re.S)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0) if main else response.text)).strip()

    @staticmethod
    def first_match(pattern: str, page: str) -> str:
        found = re.search(pattern, page)
        if not found:
            raise AssertionError(f"{pattern} not on the page")
        return found.group(1)

    def in_flight_on_frozen_host(self, learners, hosts: "Hosts") -> "_InFlight":
        """Send an attempt-page GET and a submit POST through the front until each is stuck on the
        frozen host (nginx alternates hosts, so at most a few tries); learners whose request went to
        host 2 were simply served."""
        flight = _InFlight()
        queue = list(learners)
        for kind in ("get", "post"):
            for _try in range(4):
                person, attempt, text = queue.pop(0)
                if kind == "get":
                    call = functools.partial(person.get, f"/attempts/{attempt['id']}/", via="front")
                else:
                    call = functools.partial(person.submit_exam, attempt, text)
                if flight.send(kind, call, (person, attempt, text)):
                    break
                queue.append((person, attempt, text))
            else:
                raise AssertionError(f"no {kind} reached the frozen host")
        return flight


class _InFlight:
    """Requests left hanging on a frozen host."""

    def __init__(self):
        self.threads: dict[str, threading.Thread] = {}
        self.results: dict = {}

    def send(self, kind: str, call, learner) -> bool:
        """Start ``call``; True if it is still waiting after two seconds (stuck on the frozen host)."""
        def run():
            self.results[kind] = call()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=2)
        if thread.is_alive():
            self.threads[kind] = thread
            self.results[kind + "_learner"] = learner
            return True
        return False

    def finish(self) -> dict:
        for thread in self.threads.values():
            thread.join(timeout=30)
        return self.results
