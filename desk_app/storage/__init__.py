"""peewee over SQLite: models, migrations, queries, full-text search."""
