"""Handlers of ``desk-app mail``: the SMTP settings, this desk's switch, the queue,
sending now."""

import argparse
import os
import sys
from dataclasses import asdict

from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import Refused
from desk_app.services import mail_sender, mail_settings

# option -> SMTP setting
SMTP_OPTIONS = {"host": "host", "port": "port", "security": "security", "login": "login",
                "from_address": "from_address", "from_name": "from_name",
                "reply_to": "reply_to"}


def _password(args: argparse.Namespace) -> str | None:
    if args.password_env:
        value = os.environ.get(args.password_env)
        if not value:
            raise Refused("password", f"environment variable {args.password_env} is empty")
        return value
    if args.password_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise Refused("password", "standard input gave an empty password")
        return value
    return None


def cmd_smtp_set(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    changes = {setting: getattr(args, option) for option, setting in SMTP_OPTIONS.items()
               if getattr(args, option) is not None}
    password = _password(args)
    if not changes and password is None:
        raise Refused("smtp", "nothing to change: give --host, --port, --security, --login, "
                      "--from, --from-name, --reply-to or a password")
    mail_settings.set_smtp(desk.session, changes, password)
    _show(mail_settings.mail_setup(desk.session), args)


def cmd_smtp_show(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    _show(mail_settings.mail_setup(desk.session), args)


def _show(setup: mail_settings.MailSetup, args: argparse.Namespace) -> None:
    if args.json:
        print_json({**asdict(setup.smtp), "password": setup.password,
                    "desk_sends": setup.desk_sends})
    else:
        for line in setup.lines():
            print(plain(line))


def cmd_smtp_test(args: argparse.Namespace) -> int:
    desk = desk_for(args)
    try:
        result = mail_settings.check_smtp(desk.session)
    except mail_settings.MailServerProblem as problem:
        if args.json:
            print_json({"ok": False, "problem": str(problem)})
        else:
            print(f"desk-app: mail server: {problem}", file=sys.stderr)
        return 1
    if args.json:
        print_json({"ok": True, "result": result})
    else:
        print(result)
    return 0


def cmd_desk(args: argparse.Namespace) -> None:
    desk_for(args)
    mail_settings.set_desk_sending(args.state == "on")
    if args.json:
        print_json({"desk_sends": args.state == "on"})
    else:
        print(f"this desk {'sends' if args.state == 'on' else 'does not send'} mail")


def cmd_send(args: argparse.Namespace) -> int:
    desk = desk_for(args)
    report = mail_sender.send_queued(desk.session, retry_now=args.retry)
    if args.json:
        print_json(asdict(report))
    else:
        print(plain(report.describe()))
        if report.deferred:  # e.g. the settings were just put right
            print("desk-app: nothing was tried now; 'desk-app mail send --retry' tries "
                  "the waiting mail at once", file=sys.stderr)
    return 1 if report.problem and report.waiting else 0


def cmd_queue(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    if args.limit < 1:
        raise Refused("limit", "must be at least 1")
    mails = mail_sender.mail_queue(desk.session, everything=args.all, limit=args.limit)
    if args.json:
        print_json([asdict(mail) for mail in mails])
        return
    if not mails:
        print("no mail queued" + ("" if args.all else " (--all shows sent and failed mail)"))
    for mail in mails:
        line = (f"{mail.number}  {mail.state:<10}  {mail.event:<13}  {mail.recipient}  "
                f"{mail.subject}")
        print(plain(line))
        if mail.detail:
            print(plain(f"    {mail.detail}"))
