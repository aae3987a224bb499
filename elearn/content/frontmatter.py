"""YAML front matter between ``---`` lines, with the file line of every top-level key."""
from __future__ import annotations

import yaml

from elearn.content.problems import Problem


class FrontMatter(dict):
    """The front-matter mapping; ``key_lines`` maps each top-level key to its line in the file."""

    def __init__(self, data=None, key_lines=None):
        super().__init__(data or {})
        self.key_lines: dict[str, int] = dict(key_lines or {})

    def line(self, key: str, default: int = 1) -> int:
        return self.key_lines.get(key, default)


def split_front_matter(text: str, path: str) -> tuple[FrontMatter, str, int, list[Problem]]:
    """(front matter, body, first line number of the body, problems).

    A file without front matter has an empty FrontMatter and the whole text as body. YAML
    errors are reported at their real line in the file (the YAML starts on line 2).
    """
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return FrontMatter(), text, 1, []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return FrontMatter(), "", len(lines) + 1, [
            Problem(path, 1, "front matter starts with '---' but has no closing '---' line")]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    body_line = end + 2
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatter(), body, body_line, [Problem(path, line, f"front matter is not valid YAML: {reason}")]
    if data is None:
        return FrontMatter(), body, body_line, []
    if not isinstance(data, dict):
        return FrontMatter(), body, body_line, [Problem(path, 2, "front matter must be 'key: value' lines")]
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return FrontMatter({str(k): v for k, v in data.items()}, key_lines), body, body_line, []
