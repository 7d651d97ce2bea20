"""What every service holds: the database it works on."""
from __future__ import annotations

from app.db import Store


class Service:
    def __init__(self, store: Store):
        self.store = store
