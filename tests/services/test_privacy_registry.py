"""The personal-data registry covers the schema: a table that references a person (or a column of a
registered table) without a declared export and anonymisation rule breaks the build."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Text

from elearn import models  # noqa: F401  (registers every table)
from elearn.extensions import db
from elearn.services.privacy.registry import REGISTRY, Col, TablePolicy, coverage_problems, owner
from elearn.services.privacy.rules import EMPTY


def test_every_table_referencing_a_person_is_covered_by_export_and_anonymisation():
    assert coverage_problems(db.metadata) == []


def test_every_column_referencing_users_is_a_declared_link():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                policy = REGISTRY[table.name]
                assert column.name in {link.column for link in policy.links}, f"{table.name}.{column.name}"


def _copy_with(*extra: Table) -> MetaData:
    copy = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(copy)
    for table in extra:
        table.to_metadata(copy)
    return copy


def test_a_new_table_pointing_at_a_person_without_a_policy_breaks_the_build():
    scratch = MetaData()
    Table("users", scratch, Column("id", Integer, primary_key=True))
    mentoring = Table("mentor_notes", scratch, Column("id", Integer, primary_key=True),
                      Column("mentee_id", Integer, ForeignKey("users.id")), Column("note", Text))
    problems = coverage_problems(_copy_with(mentoring))
    assert problems == ["mentor_notes: references users.id (mentee_id) but has no TablePolicy in "
                        "elearn/services/privacy/registry.py"]


def test_a_new_column_in_a_registered_table_must_be_declared():
    metadata = _copy_with()
    metadata.tables["course_feedback"].append_column(Column("private_note", Text))
    assert coverage_problems(metadata) == [
        "course_feedback.private_note: column not declared in its TablePolicy (export? anonymise or keep?)"]


def test_personal_data_kept_as_is_or_a_link_without_a_policy_column_is_refused():
    policy = REGISTRY["course_feedback"]
    kept = replace(policy, columns=policy.columns | {"comment": Col(kept="why not", personal="free text")})
    registry = REGISTRY | {"course_feedback": kept}
    assert coverage_problems(db.metadata, registry) == [
        "course_feedback.comment: holds personal data (free text) but anonymisation keeps it"]
    unlinked = replace(policy, links=())
    assert "course_feedback.user_id: references users.id but is not a link (owner or actor)" in coverage_problems(
        db.metadata, REGISTRY | {"course_feedback": unlinked})


def test_a_policy_for_a_missing_table_or_column_is_reported():
    ghost = TablePolicy("mentor_notes", "Catatan mentor", "mentoring", "kept", links=(owner("mentee_id"),),
                        columns={"id": Col(kept="id"), "mentee_id": Col(kept="id"),
                                 "note": Col(anonymise=EMPTY, personal="free text")})
    assert coverage_problems(db.metadata, REGISTRY | {"mentor_notes": ghost}) == [
        "mentor_notes: a TablePolicy for a table that does not exist"]
