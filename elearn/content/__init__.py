"""The course format: parse folders, validate, render Markdown, sanitize.

Pure functions on files and strings; nothing here imports Flask, the database or any other
part of ``elearn``.
"""
