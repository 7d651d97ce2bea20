"""A start's audit check takes the write lock once, for its checkpoint, and no more: restoring the busy
timeout afterwards began with BEGIN IMMEDIATE too, with half a second's patience, and every `liaison`
command started while another desk (or a restore) was writing failed with 意外错误
(bench/bench_restore_under_load.py found it)."""
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

pytestmark = pytest.mark.sqlite_only


def test_a_check_takes_the_write_lock_only_to_move_its_checkpoint(desk, make_complaint):
    desk.cases.add(make_complaint())  # links past the checkpoint (none yet): the check moves it
    other = sqlite3.connect(Path(desk.store.url.database), isolation_level=None)
    taken: list[str] = []

    @event.listens_for(desk.store.engine, "before_cursor_execute")
    def another_desk_writes_once_the_checkpoint_moved(_conn, _cursor, statement, *_args):
        if statement == "BEGIN IMMEDIATE":
            taken.append(statement)
            if len(taken) == 2:
                other.execute("BEGIN IMMEDIATE")

    try:
        assert desk.audit.verify(full=False).ok
    finally:
        event.remove(desk.store.engine, "before_cursor_execute", another_desk_writes_once_the_checkpoint_moved)
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert taken == ["BEGIN IMMEDIATE"]
