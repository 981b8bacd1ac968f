"""Handlers of ``desk-app mail``: import .eml files, the IMAP settings, polling."""

import argparse
import contextlib
import getpass
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import Refused
from desk_app.services.imap_settings import (
    checked_settings,
    configured_imap,
    imap_settings,
    save_imap,
)
from desk_app.services.mail_in import import_files
from desk_app.services.mail_poll import MailboxUnavailable, check_mailbox, poll_once


def cmd_mail_import(args: argparse.Namespace) -> int:
    desk = desk_for(args)
    outcomes = import_files(desk.session, [Path(name) for name in args.files], args.mailbox)
    if args.json:
        print_json([outcome.to_json() for outcome in outcomes])
    else:
        for outcome in outcomes:
            print(plain(outcome.text), file=sys.stderr if outcome.outcome == "refused"
                  else sys.stdout)
    return 2 if any(outcome.outcome == "refused" for outcome in outcomes) else 0


def _password(args: argparse.Namespace) -> str | None:
    if args.password_env:
        value = os.environ.get(args.password_env)
        if not value:
            raise Refused("password", f"environment variable {args.password_env} is empty")
        return value
    if sys.stdin.isatty():
        return getpass.getpass(f"password for {args.login} on {args.host}: ") or None
    return None


def cmd_imap_set(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    settings = checked_settings({
        "host": args.host, "login": args.login, "port": args.port,
        "security": args.security, "folder": args.folder, "poll_seconds": args.poll_seconds,
        "processed_folder": args.processed_folder, "ca_file": args.ca_file})
    save_imap(desk.session, settings, _password(args))
    if args.json:
        print_json(asdict(settings))
    else:
        print(plain(f"mailbox: {settings.display()}"))


def cmd_imap_show(args: argparse.Namespace) -> None:
    desk_for(args)
    settings = imap_settings()
    if args.json:
        print_json(asdict(settings) if settings else None)
    else:
        print(plain(f"mailbox: {settings.display()}" if settings else
                    "mailbox: none (set one with: desk-app mail imap set)"))


def cmd_imap_test(args: argparse.Namespace) -> int:
    desk_for(args)
    settings = configured_imap()
    try:
        message, ok = check_mailbox(settings), True
    except MailboxUnavailable as error:
        message, ok = str(error), False
    if args.json:
        print_json({"mailbox": settings.mailbox, "reachable": ok, "message": message})
    else:
        print(plain(message), file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def cmd_mail_poll(args: argparse.Namespace) -> int:
    desk = desk_for(args)
    settings = configured_imap()
    with _first_interrupt_stops() as stop:
        if args.once:
            report = poll_once(desk.session, settings, release=True, stop=stop.is_set)
            _show(report, args.json)
            _say_stopped(stop)
            return 0 if report.polled and not stop.is_set() else 1
        try:
            while not stop.is_set():
                _show(poll_once(desk.session, settings, stop=stop.is_set), args.json)
                stop.wait(settings.poll_seconds)
        except KeyboardInterrupt:  # a second Ctrl+C: stop at once
            pass
        finally:
            from desk_app.services.mail_poll import release_mailbox

            release_mailbox(settings)
        _say_stopped(stop)
        return 0


@contextlib.contextmanager
def _first_interrupt_stops() -> Iterator[threading.Event]:
    """Ctrl+C once sets the event: the poll finishes the message it is importing,
    marks it and stops, so what was imported is reported; a second Ctrl+C interrupts
    at once (the unfinished message's import is rolled back and it stays unread)."""
    stop = threading.Event()
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN or threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def first(_signum, _frame) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, first)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _say_stopped(stop: threading.Event) -> None:
    if stop.is_set():
        print("desk-app: stopped by Ctrl+C; the messages listed were imported, the rest "
              "stays unread for the next poll", file=sys.stderr)


def _show(report, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    print(plain(report.summary()), flush=True)
    for outcome in report.outcomes:
        print(plain(f"  {outcome.text}"), flush=True)
