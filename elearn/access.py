"""Who may use which route. Every role check goes through here."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from elearn.models import Role

#: Roles that may read every module without enrolling (to author and review content).
PREVIEW_ROLES = (Role.TRAINER.value, Role.ADMIN.value)


def role_required(*roles: Role):
    """Login required, and the user's role must be one of ``roles`` (403 otherwise)."""
    wanted = tuple(r.value for r in roles)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in wanted:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def can_preview(user) -> bool:
    return user.is_authenticated and user.role in PREVIEW_ROLES


def can_see_course_results(user, course) -> bool:
    """Admins, and trainers named in the course's ``trainers`` front matter (their emails)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN.value:
        return True
    trainers = [str(e).strip().lower() for e in (course.settings or {}).get("trainers", [])]
    return user.role == Role.TRAINER.value and user.email in trainers
