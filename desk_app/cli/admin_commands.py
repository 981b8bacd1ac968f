"""Handlers of the administration commands: groups, technicians, policy, status."""

import argparse
import json
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

from desk_app.cli import notify_commands as notices
from desk_app.cli.arguments import given_text
from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import InvalidValue
from desk_app.services import admin
from desk_app.services.directory import list_groups, list_technicians
from desk_app.services.input_files import read_input_text
from desk_app.services.preferences import preferences_of
from desk_app.services.profile import update_profile
from desk_app.services.reporting import desk_summary


def cmd_status(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    summary = desk_summary(desk.session) | {"database": str(desk.database_path)}
    if args.json:
        print_json(summary)
        return
    print(f"desk-app on {summary['database']}")
    print(f"  technician {summary['technician']} ({summary['role']})")
    print(f"  {summary['open']} open tickets, {summary['breached']} breached, "
          f"{summary['total']} in all")
    print("Run 'desk-app --help' for the commands, 'desk-app log --help' to log a ticket.")


def cmd_group_add(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    group = admin.add_group(desk.session, args.name, args.level)
    if args.json:
        print_json({"name": group.name, "level": group.level})
    else:
        print(plain(f"group {group.name} ({group.level}) added"))


def cmd_group_list(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    groups = list_groups(desk.session)
    if args.json:
        print_json(groups)
        return
    for group in groups:
        print(plain(f"{group['level']}  {group['name']}  ({group['members']} technicians)"))


def cmd_technician_add(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    person = admin.add_technician(desk.session, args.login, args.name, args.role, args.group,
                                  email=args.email or "")
    if args.json:
        print_json(_person(desk, person.login))
    else:
        print(plain(f"technician {person.login} ({person.role}) added"))


def cmd_technician_update(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    active = None if args.active is None else args.active == "yes"
    person = admin.update_technician(desk.session, args.login, role=args.role,
                                     group=args.group, active=active)
    if args.json:
        print_json(_person(desk, person.login))
    else:
        print(plain(f"technician {person.login} updated"))


def cmd_technician_list(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    people = list_technicians(desk.session)
    if args.json:
        print_json(people)
        return
    for person in people:
        flag = "" if person["active"] else " (inactive)"
        print(plain(f"{person['login']:<16} {person['role']:<17} {person['group'] or '-'}{flag}"))


def cmd_policy_show(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    sections = dict(desk.session.policy.sections)
    # JSON with or without --json: it is the policy's own form
    print_json({args.section: sections[args.section]} if args.section else sections)


def cmd_policy_set(args: argparse.Namespace) -> None:
    if args.file:
        changes = _policy_file(Path(args.file))
    elif args.section and args.value:
        try:
            changes = {args.section: json.loads(args.value)}
        except (ValueError, RecursionError) as err:  # ValueError: also a 5,000-digit number
            raise InvalidValue("value", f"not valid JSON: {err}") from None
    else:
        raise InvalidValue("policy", "give SECTION VALUE_JSON, or --file FILE")
    desk = desk_for(args)
    changed = admin.change_policy(desk.session, changes)
    if args.json:
        print_json({"changed": list(changed)})
    else:
        print("changed: " + (", ".join(changed) if changed else "nothing (same values)"))


def cmd_profile(args: argparse.Namespace) -> None:
    given_text(args.group, "group")  # leaving the group is --no-group, never --group ''
    desk = desk_for(args)
    me = _person(desk, desk.session.actor.login)
    if any(value is not None for value in (args.name, args.email, args.group, args.role)) \
            or args.no_group:
        group = None if args.no_group else args.group if args.group is not None \
            else me["group"]
        update_profile(desk.session, me["name"] if args.name is None else args.name,
                       (me["email"] or "") if args.email is None else args.email,
                       group or None, args.role)
        me = _person(desk, me["login"])
    prefs = notices.apply_preferences(desk, args) if notices.preferences_given(args) \
        else preferences_of(desk.session)
    if args.json:
        print_json(me | {"preferences": prefs.as_dict()})
        return
    print(plain(f"{me['login']}: {me['name']} <{me['email'] or '-'}>"))
    print(plain(f"  role {me['role']}, group {me['group'] or '-'}"
                + ("" if me["active"] else " (inactive)")))
    for line in notices.preference_lines(prefs, ZoneInfo(desk.session.policy.time_zone)):
        print(plain(line))


def _person(desk, login: str) -> dict:
    """The technician ``login`` as ``technician list --json`` shows them."""
    return next(p for p in list_technicians(desk.session) if p["login"] == login)


def _policy_file(path: Path) -> object:
    """The sections in a TOML (.toml) or JSON file; refuses a file it cannot read."""
    text = read_input_text(path, "policy file")
    try:
        return tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (ValueError, RecursionError) as err:  # the decode errors are ValueErrors
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON (or name it .toml)"
        raise InvalidValue("file", f"{path.name} is not valid {kind}: {err}") from None
