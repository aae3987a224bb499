"""YAML front matter between ``---`` lines, with the file line of every top-level key."""
from __future__ import annotations

import yaml

from elearn.content.problems import Problem

#: The YAML starts on the file's line 2 (after the opening ``---``); YAML marks count from 0.
_FIRST_YAML_LINE = 2


class FrontMatter(dict):
    """The front-matter mapping; ``key_lines`` maps each top-level key to its line in the file."""

    def __init__(self, data=None, key_lines=None, node=None):
        super().__init__(data or {})
        self.key_lines: dict[str, int] = dict(key_lines or {})
        #: the composed YAML tree, for the lines of nested values (``nested_line``)
        self.node = node

    def line(self, key: str, default: int = 1) -> int:
        return self.key_lines.get(key, default)

    def nested_line(self, *steps: str | int, default: int | None = None) -> int:
        """The file line of a nested value: ``nested_line("rubric", 1, "points")`` is the line of
        the second rubric item's ``points`` key. As deep as the path exists; ``default`` (else the
        top-level key's line) when even the first step is missing."""
        fallback = default if default is not None else self.line(str(steps[0]) if steps else "")
        node, line = self.node, None
        for step in steps:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                pair = next(((k, v) for k, v in node.value if str(k.value) == step), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + _FIRST_YAML_LINE, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + _FIRST_YAML_LINE
            else:
                break
        return line if line is not None else fallback


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
        line = (mark.line + _FIRST_YAML_LINE) if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatter(), body, body_line, [Problem(path, line, f"front matter is not valid YAML: {reason}")]
    if data is None:
        return FrontMatter(), body, body_line, []
    if not isinstance(data, dict):
        return FrontMatter(), body, body_line, [Problem(path, 2, "front matter must be 'key: value' lines")]
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + _FIRST_YAML_LINE
    return FrontMatter({str(k): v for k, v in data.items()}, key_lines, node), body, body_line, []
