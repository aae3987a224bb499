from elearn.forms_common import AppForm


class ActionForm(AppForm):
    """A button that changes state: only the CSRF token travels."""
