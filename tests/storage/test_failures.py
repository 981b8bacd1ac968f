"""Which errors are the machine's (exit 1 with what to do) and which are bugs."""

import errno
import sqlite3

import peewee

from desk_app.core.errors import DeskUnavailable, DiskFull
from desk_app.storage.failures import environment_problem


def raised_during(cause: Exception, error: Exception) -> Exception:
    """``error`` as Python raises it while handling ``cause`` (peewee's rollback)."""
    error.__context__ = cause
    return error


def test_a_full_disk_behind_a_failed_rollback_is_found():
    error = raised_during(sqlite3.OperationalError("database or disk is full"),
                          peewee.OperationalError("cannot rollback - no transaction is active"))
    problem = environment_problem(error, "/data/desk.sqlite3")
    assert isinstance(problem, DiskFull) and "/data" in problem.problem
    assert isinstance(environment_problem(OSError(errno.ENOSPC, "No space"), None), DiskFull)


def test_damaged_and_read_only_files_are_told_apart():
    damaged = environment_problem(peewee.DatabaseError("file is not a database"), "/d/x.db")
    assert isinstance(damaged, DeskUnavailable) and "damaged" in damaged.problem
    read_only = environment_problem(
        sqlite3.OperationalError("attempt to write a readonly database"), "/d/x.db")
    assert isinstance(read_only, DeskUnavailable) and "cannot be written" in read_only.problem
    assert isinstance(environment_problem(PermissionError(errno.EACCES, "no"), None),
                      DeskUnavailable)


def test_bugs_are_not_blamed_on_the_machine():
    assert environment_problem(ValueError("malformed input from a bug"), "/d/x.db") is None
    assert environment_problem(ZeroDivisionError(), None) is None
    assert environment_problem(sqlite3.OperationalError("no such column: x"), None) is None
