"""Numbered schema migrations, applied in order by playhouse.migrations.Runner.

Each script is frozen: it states the schema of its time in SQL and never imports the
application's models.
"""
