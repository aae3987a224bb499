"""Practice tasks (tugas praktik): ``NN-<module-slug>.task.md`` beside the module they belong to.

YAML front matter (the task's rules and its rubric), then the instructions in Markdown (what to
do, what to hand in, an outline of a good submission), rendered and sanitized like a module.

```yaml
title: Rencana digitalisasi satu koleksi lokal   # required, text
minutes: 90             # required, whole number 15..480: honest working time for a learner
required: true          # optional, default true: must be accepted for the module to complete
max_files: 3            # optional, 0..10, default 3 (0 = text answer only); the site's TASK_MAX_FILES caps it
allowed: [pdf, image]   # optional subset of FILE_KINDS, default DEFAULT_ALLOWED
rubric:                 # required, 1..10 criteria
  - criterion: Tujuan dan ruang lingkup jelas   # required text
    points: 4                                   # required whole number 1..100
    description: Menyebut koleksi dan batasnya. # optional text, guidance for reviewers
pass_points: 9          # optional, 1..total; default ceil(70 % of the total)
```

Pure functions: text in, a ``TaskSource`` (Markdown, not HTML) and Problems out.
"""
from __future__ import annotations

from dataclasses import dataclass

from elearn.content.frontmatter import FrontMatter, split_front_matter
from elearn.content.problems import Problem

TASK_REQUIRED = ("title", "minutes", "rubric")
TASK_OPTIONAL = ("required", "max_files", "allowed", "pass_points")
#: What a learner may hand in; "image" is any common picture format (decided by content on upload).
FILE_KINDS = ("pdf", "docx", "xlsx", "odt", "ods", "image")
DEFAULT_ALLOWED = ("pdf", "docx", "odt", "image")
DEFAULT_MAX_FILES = 3
MAX_FILES_LIMIT = 10
MINUTES_RANGE = (15, 480)
RUBRIC_SIZE = (1, 10)
POINTS_RANGE = (1, 100)
#: Without ``pass_points`` a submission passes with this share of the rubric's total, rounded up.
DEFAULT_PASS_PERCENT = 70
CRITERION_KEYS = ("criterion", "points", "description")


@dataclass(frozen=True)
class RubricCriterion:
    criterion: str
    points: int
    #: guidance for reviewers (plain text)
    description: str = ""
    line: int = 0


@dataclass
class TaskSource:
    """A module's practice task as written; ``body`` is the Markdown instructions (render them
    like a module page: links are relative to /courses/<course>/<module>/)."""
    title: str
    minutes: int
    required: bool
    max_files: int
    allowed: tuple[str, ...]
    rubric: tuple[RubricCriterion, ...]
    pass_points: int
    body: str
    body_line: int
    path: str = ""
    #: the path as shown in problems (relative to the checked root's parent)
    path_shown: str = ""
    sha256: str = ""
    #: the line of ``max_files`` (1 when the default applies)
    max_files_line: int = 1

    @property
    def total_points(self) -> int:
        return sum(c.points for c in self.rubric)


def default_pass_points(total: int) -> int:
    """``DEFAULT_PASS_PERCENT`` of ``total`` rounded up (70 % of 13 points is 10 points)."""
    return -(-total * DEFAULT_PASS_PERCENT // 100)


def _whole(value, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def parse_task(text: str, path: str) -> tuple[TaskSource | None, list[Problem]]:
    """Parse and validate a task file; the TaskSource is None when there are errors."""
    problems: list[Problem] = []
    meta, body, body_line, fm_problems = split_front_matter(text, path)
    if fm_problems:
        return None, fm_problems

    def error(key: str, message: str, severity: str = "error") -> None:
        problems.append(Problem(path, meta.line(key), message, severity))

    for key in TASK_REQUIRED:
        if key not in meta or meta[key] in (None, ""):
            problems.append(Problem(path, 1, f"missing front-matter key '{key}'"))
    for key in meta:
        if key not in TASK_REQUIRED and key not in TASK_OPTIONAL:
            error(key, f"unknown front-matter key '{key}'", "warning")
    title = meta.get("title")
    if title not in (None, "") and not isinstance(title, str):
        error("title", "title must be text")
    minutes = meta.get("minutes")
    if minutes is not None and not _whole(minutes, *MINUTES_RANGE):
        error("minutes", "minutes must be a whole number from {} to {} (honest working time)".format(*MINUTES_RANGE))
    required = meta.get("required", True)
    if not isinstance(required, bool):
        error("required", "required must be true or false")
    max_files = meta.get("max_files", DEFAULT_MAX_FILES)
    if not _whole(max_files, 0, MAX_FILES_LIMIT):
        error("max_files", f"max_files must be a whole number from 0 to {MAX_FILES_LIMIT} (0 = text answer only)")
        max_files = DEFAULT_MAX_FILES
    allowed = _allowed(meta, max_files, path, problems)
    errors_before = sum(p.severity == "error" for p in problems)
    rubric = _rubric(meta, path, problems)
    rubric_ok = bool(rubric) and sum(p.severity == "error" for p in problems) == errors_before
    total = sum(c.points for c in rubric)
    pass_points = meta.get("pass_points")
    if pass_points is None:
        pass_points = default_pass_points(total)
    elif rubric_ok and not _whole(pass_points, 1, total):
        error("pass_points", f"pass_points must be a whole number from 1 to the rubric's total ({total})")
    if not body.strip():
        problems.append(Problem(path, body_line, "the task has no instructions: write them below the front matter"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return TaskSource(title=title.strip(), minutes=minutes, required=required, max_files=max_files,
                      allowed=allowed, rubric=rubric, pass_points=pass_points, body=body,
                      body_line=body_line, path_shown=path, max_files_line=meta.line("max_files") if "max_files" in meta else 1), problems


def site_limit_problems(task: TaskSource, site_max_files: int) -> list[Problem]:
    """A warning when the task asks for more files than the site accepts (its TASK_MAX_FILES setting):
    learners there may hand in only ``site_max_files``."""
    if task.max_files <= site_max_files:
        return []
    return [Problem(task.path_shown, task.max_files_line,
                    f"max_files is {task.max_files} but this site accepts at most {site_max_files} files per "
                    f"hand-in (TASK_MAX_FILES): learners may attach only {site_max_files}", "warning")]


def _allowed(meta: FrontMatter, max_files: int, path: str, problems: list[Problem]) -> tuple[str, ...]:
    if "allowed" not in meta:
        return DEFAULT_ALLOWED
    line = meta.line("allowed")
    value = meta["allowed"]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(path, line, f"allowed must be a list of file types ({', '.join(FILE_KINDS)})"))
        return DEFAULT_ALLOWED
    kinds: list[str] = []
    for i, raw in enumerate(value):
        kind = raw.strip().lower()
        item_line = meta.nested_line("allowed", i)
        if kind not in FILE_KINDS:
            problems.append(Problem(path, item_line, f"allowed: unknown file type '{raw}' "
                                                     f"(use: {', '.join(FILE_KINDS)})"))
        elif kind in kinds:
            problems.append(Problem(path, item_line, f"allowed lists '{kind}' twice", "warning"))
        else:
            kinds.append(kind)
    if max_files == 0:
        problems.append(Problem(path, line, "allowed has no effect when max_files is 0 (text answer only)",
                                "warning"))
    elif not value:
        problems.append(Problem(path, line, "allowed is empty: list the file types a learner may hand in, "
                                            "or set max_files: 0 for a text answer only"))
    return tuple(kinds)


def _rubric(meta: FrontMatter, path: str, problems: list[Problem]) -> tuple[RubricCriterion, ...]:
    if "rubric" not in meta or meta["rubric"] in (None, ""):
        return ()  # reported as a missing key
    value, line = meta["rubric"], meta.line("rubric")
    if not isinstance(value, list):
        problems.append(Problem(path, line, "rubric must be a list of criteria "
                                            "('- criterion: …' with 'points: …' under it)"))
        return ()
    low, high = RUBRIC_SIZE
    if not low <= len(value) <= high:
        problems.append(Problem(path, line, f"rubric has {len(value)} criteria; write {low} to {high}"))
    criteria: list[RubricCriterion] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        number, item_line = i + 1, meta.nested_line("rubric", i)
        if not isinstance(item, dict):
            problems.append(Problem(path, item_line, f"rubric item {number} must be 'criterion: …' "
                                                     "with 'points: …' under it"))
            continue
        before = len([p for p in problems if p.severity == "error"])

        def at(key: str) -> int:
            return meta.nested_line("rubric", i, key)

        for key in item:
            if key not in CRITERION_KEYS:
                problems.append(Problem(path, at(str(key)), f"rubric item {number}: unknown key '{key}'", "warning"))
        criterion = item.get("criterion")
        if criterion in (None, ""):
            problems.append(Problem(path, item_line, f"rubric item {number}: missing 'criterion'"))
        elif not isinstance(criterion, str):
            problems.append(Problem(path, at("criterion"), f"rubric item {number}: criterion must be text"))
        points = item.get("points")
        if points is None:
            problems.append(Problem(path, item_line, f"rubric item {number}: missing 'points'"))
        elif not _whole(points, *POINTS_RANGE):
            problems.append(Problem(path, at("points"), f"rubric item {number}: points must be a whole number "
                                                        "from {} to {}".format(*POINTS_RANGE)))
        description = item.get("description", "")
        if description is None:
            description = ""
        if not isinstance(description, str):
            problems.append(Problem(path, at("description"), f"rubric item {number}: description must be text"))
        if len([p for p in problems if p.severity == "error"]) > before:
            continue
        key = criterion.strip().casefold()
        if key in seen:
            problems.append(Problem(path, item_line, f"rubric item {number} repeats the criterion of item "
                                                     f"{seen[key]}: '{criterion.strip()}'", "warning"))
        seen.setdefault(key, number)
        criteria.append(RubricCriterion(criterion.strip(), points, description.strip(), item_line))
    return tuple(criteria)
