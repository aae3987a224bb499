"""/_design renders every component from the same macros; only admins open it."""
from __future__ import annotations


def test_admin_sees_every_component(client, make_user, login):
    login(make_user("admin"))
    html = client.get("/_design").get_data(as_text=True)
    for piece in ('class="button button-primary"', 'class="button button-warning"', 'class="tag tag-overdue"',
                  'class="tag tag-expired"', "<progress", "<meter", 'class="card course-card"',
                  'class="summary-list', 'class="banner banner-error"', 'class="empty-state"',
                  'class="error-summary"', 'href="#name"', 'id="name-hint"', 'id="name-error"'):
        assert piece in html, piece
    assert "<title>Galat:" not in html  # the sample form is not the page's form


def test_design_page_is_for_admins_only(client, make_user, login):
    assert client.get("/_design").status_code == 302  # to the login page
    login(make_user("learner"))
    assert client.get("/_design").status_code == 403


def test_a_field_without_autocomplete_gets_no_autocomplete_attribute(client, make_user, login):
    """The field macro used to print autocomplete="None" when no value was given (browsers read it as a hint)."""
    login(make_user("admin"))
    page = client.get("/admin/units").get_data(as_text=True)
    assert 'name="name"' in page
    assert 'autocomplete="None"' not in page
