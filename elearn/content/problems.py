"""Errors are data: validators return Problems, callers print or show them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns a whole folder or file
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def has_errors(problems) -> bool:
    return any(p.severity == "error" for p in problems)
