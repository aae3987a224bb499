"""The dashboard's cards (elearn/site/dashboard.py): order, due tags and next steps from the services' figures."""
from __future__ import annotations

from datetime import date, datetime, timezone

from elearn.services.learning import Dashboard, DashboardCourse
from elearn.services.supervision import Due, due_state
from elearn.site.dashboard import dashboard_page

TODAY = date(2026, 11, 30)


def _course(slug, percent=0, **kw):
    return DashboardCourse(slug, slug.title(), 4, percent, "m1", None, **kw)


def _due(slug, due, overdue=False, completed_at=None):
    return Due(1, 1, slug, slug.title(), due, False, completed_at, overdue)


def test_due_state_tags_completed_overdue_soon_and_later():
    assert due_state(_due("a", date(2026, 11, 1), completed_at=datetime.now(timezone.utc)), TODAY, 14) == "completed"
    assert due_state(_due("a", date(2026, 11, 28), overdue=True), TODAY, 14) == "overdue"
    assert due_state(_due("a", date(2026, 12, 14)), TODAY, 14) == "due_soon"
    assert due_state(_due("a", date(2026, 12, 15)), TODAY, 14) == "due"


def test_overdue_first_then_due_soon_then_assigned_then_the_rest_and_finished_apart():
    board = Dashboard(in_progress=[_course("free", 40, started=True), _course("soon"), _course("late", exam_open=True,
                                                                                                   started=True)],
                      completed=[DashboardCourse("done", "Done", 4, 100, None, datetime(2026, 5, 1, tzinfo=timezone.utc))],
                      next_up=_course("free"), year=2026, hours_this_year=4)
    dues = [_due("late", date(2026, 11, 20), overdue=True), _due("soon", date(2026, 12, 3)),
            _due("later", date(2027, 3, 1))]
    page = dashboard_page(board, dues, TODAY, 14, 20)
    assert [c.slug for c in page.active] == ["late", "soon", "later", "free"]
    assert [(c.due_tag, c.next_step) for c in page.active] == [
        ("overdue", "exam"), ("due_soon", "start"), ("due", "enroll"), (None, "module")]
    assert [(c.slug, c.next_step, c.due_tag) for c in page.finished] == [("done", "certificate", "completed")]
    assert page.next_up.slug == "free" and (page.hours, page.target, page.year) == (4, 20, 2026)
    assert page.active[3].percent == 40  # the service's figure, passed through
