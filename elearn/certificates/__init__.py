"""Certificates: my certificates, certificate page and PDF, signed credential, transcript, public verification."""
from elearn.certificates.routes import bp

__all__ = ["bp"]
