"""The audit trail as the desk reads, checks and adds to it."""
from __future__ import annotations

import datetime as dt

from app import audit, crypto, identity
from app.errors import FieldError
from app.intake import LOCAL_TZ
from app.services.base import Service

OWN_PROCESS_FROM = 50_000  # links; a chain this long takes seconds to check


def _verify_in_this_process(url: str, raw_key: bytes) -> audit.Verification | str:
    """The chain check in a process started for it (verify_aside): the database opened read-only
    with the window's key, nothing migrated or written."""
    from app.db import Store

    store = None
    try:
        store = Store(url, migrate=False)
        crypto.attach(store.engine, crypto.DataKey(raw_key))
        with store.read() as s:
            return audit.verify(s)
    except Exception as e:  # noqa: BLE001 - reported by the window as the check's failure
        return str(e) or type(e).__name__
    finally:
        if store is not None:
            store.dispose()


class AuditService(Service):
    def entries(self, since: dt.datetime | None = None) -> list[dict]:
        """The whole trail (audit log and case events, in the order written) since a moment."""
        return self.trail(audit.TrailFilter(since=since))

    def trail(self, f: audit.TrailFilter | None = None, limit: int | None = None) -> list[dict]:
        """Supervisors only: the trail names who looked at whom."""
        with self.store.read() as s:
            identity.require(s, "supervisor", "查看审计记录")
            return audit.trail(s, f, limit)

    def verify(self) -> audit.Verification:
        """Check the chain from its first link to its last (the window and `liaison` do it at start)."""
        with self.store.read() as s:
            return audit.verify(s)

    def verify_aside(self, own_process_from: int = OWN_PROCESS_FROM) -> audit.Verification:
        """verify, for the window's start of day: a long chain is checked by a process of its own.

        The check is pure Python (a district's 2M links take over a minute); on a thread of the
        window it held the GIL against every paint and keystroke the whole time. Another process
        uses the other core and leaves the window alone; a short chain is not worth starting one.
        """
        with self.store.read() as s:
            links = audit.chain_length(s)
        key = getattr(self.store.engine.dialect, "liaison_key", None) if links >= own_process_from else None
        if key is None:  # short, or no key here (verify says so in its words)
            return self.verify()
        import concurrent.futures
        import multiprocessing

        url = self.store.url.render_as_string(hide_password=False)
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            outcome = pool.submit(_verify_in_this_process, url, key.raw).result()
        if isinstance(outcome, str):  # the child's error, as text: exceptions of app/ do not all pickle
            raise FieldError("audit", outcome)
        return outcome

    def staff_names(self) -> list[str]:
        with self.store.read() as s:
            identity.require(s, "supervisor", "查看审计记录")
            return audit.actors(s)


def local_day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ)
