"""Handlers of the team-database commands: server set-up, remote, sync."""

import argparse
import getpass
import os
import sys

from desk_app.cli.output import print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import Refused
from desk_app.services import team_sync
from desk_app.sync.errors import SyncError


def cmd_server_init(args: argparse.Namespace) -> int:
    try:
        before, after, roles = team_sync.init_server(args.url, args.technician_role,
                                                     args.admin_role)
    except SyncError as error:
        print(f"desk-app: server init refused: {error}", file=sys.stderr)
        return 1
    if args.json:
        print_json({"schema_version_before": before, "schema_version": after,
                    "technician_role": roles.technician, "admin_role": roles.admin})
    elif before == after:
        print(f"team database schema is up to date (version {after})")
    elif before == 0:
        print(f"team database schema created (version {after}); roles {roles.technician} "
              f"and {roles.admin} are ready: add logins with 'desk-app server add-user'")
    else:
        print(f"team database schema upgraded from version {before} to {after}")
    return 0


def _new_password(args: argparse.Namespace) -> str | None:
    if args.password_env:
        value = os.environ.get(args.password_env)
        if not value:
            raise Refused("password", f"environment variable {args.password_env} is empty")
        return value
    if args.no_password:
        return None
    if not sys.stdin.isatty():
        raise Refused("password", "give --password-env VAR or --no-password when there "
                      "is no terminal to type it in")
    first = getpass.getpass(f"password for {args.name}: ")
    if first != getpass.getpass("again: "):
        raise Refused("password", "the two passwords differ")
    return first


def cmd_server_add_user(args: argparse.Namespace) -> int:
    try:
        created = team_sync.add_server_user(args.url, args.name, args.role,
                                            _new_password(args))
    except SyncError as error:
        print(f"desk-app: server add-user refused: {error}", file=sys.stderr)
        return 1
    if args.json:
        print_json({"login": args.name, "role": args.role, "created": created})
    else:
        print(f"login {args.name} {'created' if created else 'updated'} as {args.role}")
    return 0


def cmd_remote_set(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    settings = team_sync.set_remote(desk.session, args.url,
                                    "include" if args.include_demo else "refuse")
    if args.json:
        print_json({"remote": settings.display()})
    else:
        print(f"team database: {settings.display()}")


def cmd_remote_unset(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    left = team_sync.leave_team(desk.session)
    if args.json:
        print_json(left.__dict__)
    else:
        print(left.describe())


def cmd_remote_test(args: argparse.Namespace) -> int:
    desk_for(args)
    check = team_sync.check_remote()
    if args.json:
        print_json({"reachable": check.reachable, "remote": check.settings.display(),
                    "schema_version": check.schema_version,
                    "clock_offset_ms": check.clock_offset_ms, "problem": check.problem})
    else:
        print(check.describe())
    return 0 if check.reachable and not check.problem else 1


def cmd_sync(args: argparse.Namespace) -> int:
    desk = desk_for(args)
    try:
        report = team_sync.sync_now(desk.session, verify_all=args.verify)
    except SyncError as error:
        print(f"desk-app: sync failed: {error} (local work is kept; it will be sent at "
              "the next sync)", file=sys.stderr)
        return 1
    if args.json:
        print_json(report.__dict__)
    else:
        print(f"synced: {report.summary()}")
        for warning in report.warnings:
            print(f"  note: {warning}")
    return 0


def cmd_sync_status(args: argparse.Namespace) -> None:
    desk_for(args)
    state = team_sync.status()
    if args.json:
        print_json(state.__dict__)
        return
    print(f"team database: {state.remote or 'none (work is local only)'}")
    print(f"  pending changes: {state.pending}")
    print(f"  last successful sync: {state.last_sync or 'never'}")
    if state.last_error:
        print(f"  last error: {state.last_error}")
