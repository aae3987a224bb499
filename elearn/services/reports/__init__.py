"""Supervisor and programme reports. Every function takes a Scope and counts only people in it.

Query counts do not depend on the number of learners: people are selected by a subquery (or one
page of ids), and everything per person is fetched with one grouped query per kind of fact. Every
figure comes from the one rule functions: completion (services.completion), lesson hours
(services.lesson_hours), progress (services.progress), scope (services.scope), dates
(services.dates).
"""
from elearn.services.reports.common import Filters, live_courses, people_rows
from elearn.services.reports.course_results import CourseResults, course_results
from elearn.services.reports.hours import HoursReport, HoursRow, hours_report
from elearn.services.reports.matrix import Cell, Matrix, MatrixRow, completion_matrix, completion_matrix_pages
from elearn.services.reports.programme import MonthMetrics, ProgrammeMetrics, programme_metrics

__all__ = ["Cell", "CourseResults", "Filters", "HoursReport", "HoursRow", "Matrix", "MatrixRow", "MonthMetrics",
           "ProgrammeMetrics", "completion_matrix", "completion_matrix_pages", "course_results", "hours_report", "live_courses",
           "people_rows", "programme_metrics"]
