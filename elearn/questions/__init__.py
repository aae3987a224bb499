"""Questions per module (the "Tanya" section): pages in routes.py, rules in services.questions."""
