"""The point's settings: read them, and change several at once, all checked first."""
from __future__ import annotations

from app.core.errors import FieldError, InputError
from app.point import settings
from app.staff import audit, identity
from app.storage.db import Service


class SettingsService(Service):
    # What each setting is, for the settings form: one table, the rules beside it in app/point/settings.py.
    FIRST_RUN_KEYS = settings.FIRST_RUN_KEYS
    KEYS = settings.KEYS
    is_rule = staticmethod(settings.is_rule)  # only a supervisor changes it
    normalize = staticmethod(settings.normalize)  # checked and written as stored, or a FieldError

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
            before = settings.all_settings(s)
            changed = _changed(before, values)
            rules = [k for k in changed if settings.is_rule(k)]
            if rules:
                identity.require(s, "supervisor", "修改规则设置（" + "、".join(settings.KEYS[k].label for k in rules) + "）")
            for key, value in changed.items():
                new = settings.put(s, key, value)
                audit.record(s, "settings", detail=f"{settings.KEYS[key].label}（{key}）：“{before.get(key, '')}” → “{new}”")
            return settings.all_settings(s)

    def idle_lock_minutes(self) -> float:
        with self.store.read() as s:
            return settings.idle_lock_minutes(s)

    def fast_track_threshold(self):
        with self.store.read() as s:
            return settings.fast_track_threshold(s)


def _as_stored(key: str, value: str) -> str | None:
    try:
        return settings.normalize(key, value)
    except FieldError:
        return None


def _changed(before: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    """The values that would change what is stored (a default written out in another form is no change)."""
    out = {}
    for key, value in values.items():
        new = _as_stored(key, value)
        old = before.get(key)
        if new is None or old is None or new != (_as_stored(key, old) or old):
            out[key] = value
    return out
