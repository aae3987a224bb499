"""SQLAlchemy models, one module per area. Importing this package registers every table."""
from elearn.models.courses import Course, CourseAsset, Module
from elearn.models.users import Role, User

__all__ = ["Course", "CourseAsset", "Module", "Role", "User"]
