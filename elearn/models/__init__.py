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
from elearn.models.progress import Completion, Enrollment, ModuleProgress
from elearn.models.questions import ModuleAnswer, ModuleQuestion
from elearn.models.quizzes import QUIZ_KINDS, Quiz, QuizAttempt
from elearn.models.supervision import (ACTION_PLAN_KINDS, ActionPlan, Assignment, AssignmentMember,
                                       CourseFeedback)
from elearn.models.tasks import ModuleTask, TaskFile, TaskSubmission
from elearn.models.users import LoginThrottle, PasswordReset, Role, User
from elearn.models.versions import VERSION_SOURCES, ContentBlob, CourseDraft, CourseVersion, DraftFile, VersionFile

__all__ = [
    "ACTION_PLAN_KINDS", "ActionPlan", "Assignment", "AssignmentMember", "AuditEvent", "Certificate", "Completion",
    "ContentBlob", "Course", "CourseAsset", "CourseFeedback", "CourseVersion", "DataExport", "EMAIL_STATES",
    "EXTERNAL_KINDS", "Enrollment", "ExternalTraining", "Innovation", "LoginThrottle", "MentorPair",
    "MentoringSession", "Module", "ModuleAnswer", "ModuleProgress", "ModuleQuestion", "ModuleTask", "Notification",
    "NotificationPreference", "PasswordReset",
    "PrivacyRequest", "QUIZ_KINDS", "Quiz", "QuizAttempt", "REVOCATION_REASONS", "Role", "TaskFile", "TaskSubmission", "Unit",
    "UnitSupervisor", "User", "VERSION_SOURCES", "VersionFile", "CourseDraft", "DraftFile", "WITHDRAWAL_REASONS"
]
