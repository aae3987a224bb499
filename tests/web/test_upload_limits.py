"""Defect 13.13: an oversized CSV import is refused whole with a clear message, never read in part."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from elearn.models import User


def _oversized_csv() -> bytes:
    """A valid first row, blank padding, and a last row that straddles byte 2,000,000 (the old read limit)."""
    head = b"name,email\nBaris Awal,awal@example.org\n"
    padding = (b" " * 99 + b"\n") * ((2_000_000 - len(head) - 10) // 100)
    body = head + padding
    return body + b" " * (2_000_000 - len(body) - 36) + b"\nBaris Terpotong,cut.row@example.orgzz\n"


def _post_import(client, data: bytes):
    return client.post("/admin/users/import", data={"file": (io.BytesIO(data), "akun.csv")},
                       content_type="multipart/form-data")


def test_csv_import_over_the_form_limit_is_refused_and_creates_nothing(client, db, make_user, login):
    login(make_user("admin"))
    data = _oversized_csv()
    assert data.index(b"cut.row@example.org") < 2_000_000 < data.index(b"orgzz") + 5
    before = db.session.scalar(select(func.count()).select_from(User))
    html = _post_import(client, data).get_data(as_text=True)
    assert "Berkas terlalu besar" in html
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    assert db.session.scalar(select(User.id).where(User.email == "cut.row@example.org")) is None


def test_csv_import_limit_is_a_setting(app, client, db, make_user, login):
    login(make_user("admin"))
    app.config["USER_IMPORT_MAX_BYTES"] = 100
    html = _post_import(client, b"email,name\n" + b"a@example.org,A\n" * 10).get_data(as_text=True)
    assert "Berkas terlalu besar" in html
    app.config["USER_IMPORT_MAX_BYTES"] = 1000
    html = _post_import(client, b"email,name\n" + b"a@example.org,A\n" * 10).get_data(as_text=True)
    assert "1 dibuat" in html


def test_request_over_max_content_length_gets_our_error_page_in_the_users_language(app, client, db, make_user,
                                                                                  login):
    admin = make_user("admin")
    admin.locale = "en"
    db.session.commit()
    login(admin)
    app.config["MAX_CONTENT_LENGTH"] = 5_000
    response = _post_import(client, b"email,name\n" + b"x" * 10_000)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Too large" in html and 'class="site-header"' in html
    assert "at most 0.005 MB" in html


def test_max_content_length_has_a_default(app):
    assert app.config["MAX_CONTENT_LENGTH"] >= app.config["USER_IMPORT_MAX_BYTES"] + 100_000
