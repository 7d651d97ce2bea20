"""The database: engine and sessions, the typed models, Alembic migrations, encryption at rest, the blind index, backups and keys."""
