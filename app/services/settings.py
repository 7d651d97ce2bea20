"""The point's settings: read them, and change several at once, all checked first."""
from __future__ import annotations

from app import audit, settings
from app.errors import FieldError, InputError
from app.services.base import Service


class SettingsService(Service):
    def all(self) -> dict[str, str]:
        with self.store.read() as s:
            return settings.all_settings(s)

    def is_configured(self) -> bool:
        with self.store.read() as s:
            return settings.is_configured(s)

    def put(self, values: dict[str, str]) -> dict[str, str]:
        """Set several settings at once: all are checked first, nothing is stored if one is wrong."""
        errors = []
        for key, value in values.items():
            try:
                settings.normalize(key, value)
            except FieldError as e:
                errors.append(e)
        if errors:
            raise InputError(errors)
        with self.store.write() as s:
            for key, value in values.items():
                settings.put(s, key, value)
            audit.record(s, "change", detail="修改设置：" + "、".join(values))
            return settings.all_settings(s)

    def fast_track_threshold(self):
        with self.store.read() as s:
            return settings.fast_track_threshold(s)
