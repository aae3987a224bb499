"""/metrics (Prometheus, behind a token) and /readyz."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask_migrate import stamp, upgrade
from prometheus_client import REGISTRY

from elearn import create_app
from elearn.extensions import db as _db
from elearn.models import QuizAttempt

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-token-for-tests"
QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 50
    ---
    ## Singkatan {type=short}

    Singkatan Online Public Access Catalog?

    - [x] OPAC
    """)


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.get_data(as_text=True)


def test_metrics_are_not_served_without_a_configured_token(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token(app, client):
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert "binapustaka_http_requests_total" in scrape(client)


def test_requests_are_counted_and_timed_by_endpoint_and_status(app, client):
    app.config["METRICS_TOKEN"] = TOKEN
    ok = dict(method="GET", endpoint="site.healthz", status="200")
    before = sample("binapustaka_http_requests_total", **ok)
    timed = sample("binapustaka_http_request_duration_seconds_count", method="GET", endpoint="site.healthz")
    missing = sample("binapustaka_http_requests_total", method="GET", endpoint="unmatched", status="404")
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no/such/page")
    assert sample("binapustaka_http_requests_total", **ok) == before + 2
    assert sample("binapustaka_http_request_duration_seconds_count", method="GET", endpoint="site.healthz") == timed + 2
    assert sample("binapustaka_http_requests_total", method="GET", endpoint="unmatched", status="404") == missing + 1
    text = scrape(client)
    assert re.search(r'binapustaka_http_request_duration_seconds_bucket\{endpoint="site.healthz",le="0.005",'
                     r'method="GET"\} \d', text)
    assert "/no/such/page" not in text  # paths never become labels


def test_pool_gauge_follows_connections_in_use(app, db):
    before = sample("binapustaka_db_connections_in_use")
    with db.engine.connect():
        assert sample("binapustaka_db_connections_in_use") == before + 1
    assert sample("binapustaka_db_connections_in_use") == before


def test_quiz_starts_submits_and_certificates_count_once_each(app, client, db, make_user, login, write_course, sync):
    app.config["METRICS_TOKEN"] = TOKEN
    folder = write_course(modules=1)
    (folder / "01-modul-1.quiz.md").write_text(QUIZ, encoding="utf-8")
    assert not sync().failed
    login(make_user())
    client.post("/courses/kursus-uji/enroll")
    names = ("binapustaka_quiz_attempts_started_total", "binapustaka_quiz_attempts_submitted_total",
             "binapustaka_certificates_issued_total")
    before = [sample(name) for name in names]

    started = client.post("/courses/kursus-uji/quiz/modul-1/start")
    client.post("/courses/kursus-uji/quiz/modul-1/start")  # the open attempt is reused: not a new start
    attempt_id = int(re.search(r"/attempts/(\d+)/", started.headers["Location"]).group(1))
    assert "binapustaka_quiz_attempts_open 1.0" in scrape(client)
    key = db.session.get(QuizAttempt, attempt_id).questions[0]["key"]
    client.post(f"/attempts/{attempt_id}/submit", data={f"q-{key}": "OPAC"})
    client.post(f"/attempts/{attempt_id}/submit", data={f"q-{key}": "OPAC"})  # a replay grades nothing

    assert [sample(name) - b for name, b in zip(names, before)] == [1, 1, 1]
    assert "binapustaka_quiz_attempts_open 0.0" in scrape(client)


def test_a_refused_start_counts_nothing(app, client, make_user, login, write_course, sync):
    folder = write_course(modules=1)
    (folder / "01-modul-1.quiz.md").write_text(QUIZ, encoding="utf-8")
    assert not sync().failed
    login(make_user())  # not enrolled: the start is refused
    before = sample("binapustaka_quiz_attempts_started_total")
    client.post("/courses/kursus-uji/quiz/modul-1/start")
    assert sample("binapustaka_quiz_attempts_started_total") == before


def test_several_worker_processes_add_up_in_multiprocess_mode(tmp_path):
    script = textwrap.dedent(f"""\
        import sys
        from elearn import create_app
        from elearn.extensions import db
        app = create_app({{"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "METRICS_TOKEN": "t"}})
        with app.app_context():
            db.create_all()
        client = app.test_client()
        if sys.argv[1] == "hit":
            client.get("/healthz")
        else:
            sys.stdout.write(client.get("/metrics", headers={{"Authorization": "Bearer t"}}).get_data(as_text=True))
        """)
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def run(*args):
        return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout

    run("hit")
    run("hit")
    text = run("read")
    assert 'binapustaka_http_requests_total{endpoint="site.healthz",method="GET",status="200"} 2.0' in text
    assert "binapustaka_quiz_attempts_open 0.0" in text


def test_a_gauge_the_database_cannot_answer_leaves_the_rest_of_the_scrape(database_url):
    app = create_app({"TESTING": True, "METRICS_TOKEN": TOKEN,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"})
    text = scrape(app.test_client())
    assert "binapustaka_http_requests_total" in text
    assert "binapustaka_quiz_attempts_open" not in text


# --- readiness -----------------------------------------------------------------------------------

@pytest.fixture
def migrated_app(tmp_path):
    def make(**config):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "ready.sqlite"),
                          **config})
        with app.app_context():
            upgrade()
        return app

    yield make


def test_ready_when_migrated_and_storage_answers(migrated_app):
    response = migrated_app().test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "database": "ok", "migrations": "ok",
                             "rate_limit_storage": "not used (memory)"}


def test_not_ready_when_the_database_is_behind_the_code(migrated_app):
    app = migrated_app()
    with app.app_context():
        previous = re.search(r"down_revision = ['\"](\w+)", next(
            p.read_text() for p in (ROOT / "migrations" / "versions").glob("*.py")
            if _is_head(p, app))).group(1)
        stamp(revision=previous)
        _db.engine.dispose()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["migrations"].startswith(f"database at {previous}, code expects")


def _is_head(path: Path, app) -> bool:
    from elearn.observability.readiness import code_heads

    return any(f"revision = '{head}'" in path.read_text() or f'revision = "{head}"' in path.read_text()
               for head in code_heads(app))


def test_not_ready_on_a_schema_built_without_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["migrations"] == "not migrated: run flask db upgrade"


def test_not_ready_when_the_database_is_unreachable():
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_not_ready_when_redis_is_unreachable(migrated_app):
    app = migrated_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["rate_limit_storage"] == "unreachable"
    assert response.json["migrations"] == "ok"


def _redis_listening() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_listening(), reason="no Redis on 127.0.0.1:6379 (.ci/run starts one)")
def test_ready_with_redis_reachable(migrated_app):
    app = migrated_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["rate_limit_storage"] == "ok"
