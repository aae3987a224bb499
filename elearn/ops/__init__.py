"""Operating a site: backups that restore (``flask backup …``) and the move from SQLite to PostgreSQL.

``archive`` is the backup file, ``database`` what both ends need to know about a database,
``pgtools`` the PostgreSQL client programs, ``copy`` the row copy between databases, ``backup`` and
``restore`` the use cases, ``cli`` the commands. Nothing here runs inside a web request.
"""
