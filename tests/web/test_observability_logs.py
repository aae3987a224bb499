"""Log lines: a request id on every line and response, JSON when asked, and never a secret."""
from __future__ import annotations

import io
import json
import logging
import re
import textwrap

import pytest

from elearn import create_app
from elearn.observability import logs
from tests.conftest import PASSWORD

QUIZ = textwrap.dedent("""\
    ---
    pass_mark: 50
    ---
    ## Singkatan {type=short}

    Singkatan Online Public Access Catalog?

    - [x] OPAC
    """)


@pytest.fixture
def log_stream():
    """What the app's own log handler writes, in a string (restored afterwards)."""
    stream = io.StringIO()
    previous = logs._handler.setStream(stream)
    yield stream
    logs._handler.setStream(previous)


@pytest.fixture
def json_app(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "LOG_FORMAT": "json",
                      "SIGNING_KEY_FILE": str(tmp_path / "key.pem")})
    yield app
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})  # back to the default format


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/no-such-page")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", second.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_the_proxys_request_id_is_kept_when_sane(client):
    assert client.get("/healthz", headers={"X-Request-ID": "a1b2c3d4e5f6"}).headers["X-Request-ID"] == "a1b2c3d4e5f6"
    for insane in ("two words", "x" * 200, "evil;Set-Cookie=a", "-starts-with-dash"):
        answered = client.get("/healthz", headers={"X-Request-ID": insane}).headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", answered)


def test_json_lines_name_the_request_its_route_and_its_outcome(json_app, log_stream):
    response = json_app.test_client().get("/healthz", headers={"X-Request-ID": "req-42"})
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "elearn.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == "req-42" == response.headers["X-Request-ID"]
    assert access[0]["level"] == "INFO"
    assert (access[0]["method"], access[0]["path"], access[0]["endpoint"], access[0]["status"]) == (
        "GET", "/healthz", "site.healthz", 200)
    assert access[0]["duration_ms"] >= 0 and "time" in access[0]


def test_lines_logged_inside_a_request_carry_its_id(json_app, log_stream):
    @json_app.get("/_shout")
    def shout():
        json_app.logger.warning("something to look at")
        return "ok"

    response = json_app.test_client().get("/_shout")
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    warning = next(line for line in lines if line["message"] == "something to look at")
    assert warning["request_id"] == response.headers["X-Request-ID"]
    assert warning["logger"] == "elearn"


def test_text_lines_carry_the_request_id_too(client, log_stream):
    response = client.get("/healthz")
    assert f"[{response.headers['X-Request-ID']}] GET /healthz 200" in log_stream.getvalue()


def test_unknown_log_format_or_level_stops_the_start():
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "LOG_FORMAT": "xml"})
    with pytest.raises(RuntimeError, match="LOG_LEVEL"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "LOG_LEVEL": "LOUD"})


def test_secret_path_parts_are_masked():
    assert logs.loggable_path("/reset/abcDEF123", {"token": "abcDEF123"}, matched=True) == "/reset/[redacted]"
    assert logs.loggable_path("/courses/kursus-uji/modul-1/", {"slug": "kursus-uji"}, matched=True) == \
        "/courses/kursus-uji/modul-1/"
    assert logs.loggable_path("/reset/Zm9vYmFyYmF6cXV4eHl6MTIz/x", None, matched=False) == "/reset/[redacted]/x"


class _Everything(logging.Handler):
    """Keeps every record of every logger as JSON with all its fields."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logs._formatter("json"))
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def debug_everything():
    handler = _Everything()
    names = ["", "elearn", "sqlalchemy.engine", "sqlalchemy.pool", "werkzeug", "flask_limiter"]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_no_password_token_or_answer_is_ever_logged(app, client, db, make_user, login, write_course, sync,
                                                     debug_everything, log_stream):
    from elearn.services.password_reset import issue_reset_token

    app.config["METRICS_TOKEN"] = metrics_token = "metrics-RAHASIA-token-77"
    wrong_password, new_password, answer = "salah-RAHASIA-sandi-1", "baru-RAHASIA-sandi-2", "jawaban-RAHASIA-3"
    learner = make_user(email="pustakawan@example.org")
    folder = write_course(modules=1)
    (folder / "01-modul-1.quiz.md").write_text(QUIZ, encoding="utf-8")
    assert not sync().failed

    assert client.post("/login", data={"email": learner.email, "password": wrong_password}).status_code == 200
    login(learner)
    session_cookie = client.get_cookie("session").value
    client.post("/courses/kursus-uji/enroll")
    started = client.post("/courses/kursus-uji/quiz/modul-1/start")
    attempt_path = started.headers["Location"].replace("http://localhost", "")
    attempt_id = int(re.search(r"/attempts/(\d+)/", attempt_path).group(1))
    from elearn.models import QuizAttempt

    key = db.session.get(QuizAttempt, attempt_id).questions[0]["key"]
    assert client.post(f"/attempts/{attempt_id}/submit", data={f"q-{key}": answer}).status_code == 302
    client.post("/logout")

    token = issue_reset_token(db.session, learner.id, actor_id=None)
    db.session.commit()
    assert client.get(f"/reset/{token}").status_code == 200
    assert client.post(f"/reset/{token}", data={"new": new_password, "confirm": new_password}).status_code == 302
    assert client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"}).status_code == 200

    logged = "\n".join(debug_everything.lines) + log_stream.getvalue()
    assert "sqlalchemy.engine" in logged and "UPDATE quiz_attempts" in logged  # SQL was logged, at DEBUG
    assert "/reset/[redacted]" in logged  # the reset requests were logged, masked
    for secret in (PASSWORD, wrong_password, new_password, answer, token, session_cookie, metrics_token):
        assert secret not in logged, f"a secret reached the logs: {secret[:6]}…"
    assert db.session.get(QuizAttempt, attempt_id).responses == {key: answer}  # the answer was recorded
