"""SQLAlchemy models, one module per area. Importing this package registers every table."""
from elearn.models.audit import AuditEvent
from elearn.models.certificates import REVOCATION_REASONS, WITHDRAWAL_REASONS, Certificate
from elearn.models.courses import Course, CourseAsset, Module
from elearn.models.external import EXTERNAL_KINDS, ExternalTraining
from elearn.models.innovations import Innovation
from elearn.models.mentoring import MentoringSession, MentorPair
from elearn.models.notifications import EMAIL_STATES, Notification, NotificationPreference
from elearn.models.org import Unit, UnitSupervisor
from elearn.models.privacy import DataExport, PrivacyRequest
from elearn.models.progress import Completion, CompletionCheck, Enrollment, ModuleProgress
from elearn.models.questions import ModuleAnswer, ModuleQuestion, PostReport, QuestionFollow
from elearn.models.quizzes import QUIZ_KINDS, Quiz, QuizAttempt
from elearn.models.staff import STAFF_ROLES, CourseStaff
from elearn.models.supervision import (ACTION_PLAN_KINDS, ActionPlan, Assignment, AssignmentMember,
                                       CourseFeedback)
from elearn.models.tasks import ModuleTask, TaskFile, TaskScore, TaskSubmission
from elearn.models.users import LoginThrottle, PasswordReset, Role, User
from elearn.models.versions import VERSION_SOURCES, ContentBlob, CourseDraft, CourseVersion, DraftFile, VersionFile

__all__ = [
    "ACTION_PLAN_KINDS", "ActionPlan", "Assignment", "AssignmentMember", "AuditEvent", "Certificate", "Completion",
    "CompletionCheck", "ContentBlob", "Course", "CourseAsset", "CourseDraft", "CourseStaff", "CourseFeedback",
    "CourseVersion", "DataExport", "DraftFile", "EMAIL_STATES", "EXTERNAL_KINDS", "Enrollment", "ExternalTraining",
    "Innovation", "LoginThrottle", "MentorPair", "MentoringSession", "Module", "ModuleAnswer", "ModuleProgress",
    "ModuleQuestion", "ModuleTask", "Notification", "NotificationPreference", "PasswordReset", "PostReport",
    "QuestionFollow", "PrivacyRequest", "QUIZ_KINDS", "Quiz", "QuizAttempt", "REVOCATION_REASONS", "Role",
    "STAFF_ROLES", "TaskFile", "TaskScore", "TaskSubmission", "Unit", "UnitSupervisor", "User", "VERSION_SOURCES",
    "VersionFile", "WITHDRAWAL_REASONS"
]
