"""The innovation showcase: pages in routes.py, rules in services.innovations."""
