"""Every user-visible string in the code has an Indonesian and an English translation."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHOD_MAP = [("elearn/**.py", "python"), ("elearn/**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"elearn/**/templates/**.html": {}}):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["id", "en"])
def test_catalog_translates_every_message(lang):
    with open(ROOT / "elearn" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    messages = _source_messages()
    assert len(messages) > 40
    missing = sorted(m for m in messages if m not in translated or not translated[m].string
                     or translated[m].fuzzy)
    assert missing == [], f"untranslated in {lang} (run make extract-messages and translate): {missing}"


def test_no_translated_string_hides_inside_an_f_string():
    """Babel's extractor cannot see a call inside an f-string: such a string would never reach the catalogs."""
    hidden = []
    for path in sorted((ROOT / "elearn").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.relative_to(ROOT)}:{call.lineno}" for call in ast.walk(node)
                           if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                           and call.func.id in KEYWORDS]
    assert hidden == []


def test_built_in_form_messages_follow_the_language(client, make_user, login):
    """WTForms' own messages ("Not a valid choice") go through our catalogs too."""
    admin, learner = make_user("admin"), make_user()
    login(admin)
    data = {"name": "Unit Uji", "parent_id": 0, "supervisors": [learner.id]}
    indonesian = client.post("/admin/units", data=data).get_data(as_text=True)
    assert f"&#39;{learner.id}&#39; bukan pilihan yang valid untuk kolom ini." in indonesian
    client.post("/lang", data={"lang": "en", "next": "/admin/units"})
    english = client.post("/admin/units", data=data).get_data(as_text=True)
    assert f"&#39;{learner.id}&#39; is not a valid choice for this field." in english
