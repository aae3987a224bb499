"""Defect 13.14: ids and page numbers out of the database's range answer 404 / a clamped page, never 500."""
from __future__ import annotations

import pytest

HUGE = "9" * 20
GET_URLS = [
    f"/attempts/{HUGE}/", f"/attempts/{HUGE}.json", f"/attempts/{HUGE}/result",
    f"/certificates/{HUGE}/", f"/certificates/{HUGE}.pdf", f"/certificates/{HUGE}.json",
    f"/users/{HUGE}/transcript/", f"/users/{HUGE}/transcript.pdf",
    f"/admin/users/{HUGE}", f"/admin/units/{HUGE}",
]
POST_URLS = [
    f"/certificates/{HUGE}/revoke", f"/certificates/{HUGE}/renew", f"/attempts/{HUGE}/submit",
    f"/admin/users/{HUGE}/reset-link", f"/reports/action-plans/{HUGE}", f"/reports/assignments/{HUGE}/cancel",
    f"/admin/users/{HUGE}", f"/admin/units/{HUGE}",
]
PAGED = ["/admin/users", "/admin/audit", "/reports/matrix", "/reports/action-plans", "/reports/hours"]


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


@pytest.mark.parametrize("url", GET_URLS)
def test_out_of_range_id_in_a_page_address_is_404(client, admin, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", POST_URLS)
def test_out_of_range_id_in_a_form_address_is_404(client, admin, url):
    assert client.post(url, data={}).status_code == 404


@pytest.mark.parametrize("url", [u.replace(HUGE, "2147483648") for u in GET_URLS[:4]])
def test_id_just_past_the_32_bit_range_is_404(client, admin, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", PAGED)
@pytest.mark.parametrize("page", [HUGE, "-5", "0", "dua"])
def test_page_numbers_are_clamped(client, admin, url, page):
    assert client.get(f"{url}?page={page}").status_code == 200


def test_page_number_helper_clamps_to_the_range():
    from elearn.urls import MAX_PAGE, clamp_page

    assert clamp_page(None) == 1
    assert clamp_page("abc") == 1
    assert clamp_page("-3") == 1
    assert clamp_page("7") == 7
    assert clamp_page(HUGE) == MAX_PAGE
    assert clamp_page("9", pages=4) == 4
