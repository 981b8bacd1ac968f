"""Handlers of ``desk-app major ...``: the major-incident procedure."""

import argparse
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.cli.arguments import given_text, parse_time
from desk_app.cli.output import plain, print_json
from desk_app.cli.text_options import option_text
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.enums import TicketType
from desk_app.core.errors import InvalidValue
from desk_app.core.labels import human_label
from desk_app.services import major_board, major_children, major_incidents, major_updates
from desk_app.services.intake import preview_logging
from desk_app.services.lookup import ticket_by_number

_RELATIVE = re.compile(r"^\+\s*([0-9]+)\s*(m|min|h)$")


def roles_given(pairs: list[str]) -> dict[str, str | None]:
    """``LOGIN=ROLE`` options as login -> role (``LOGIN=``: None, taken off the team)."""
    team: dict[str, str | None] = {}
    for pair in pairs:
        login, sign, role = pair.partition("=")
        if not sign or not login.strip():
            raise InvalidValue("role", f"{pair!r} is not LOGIN=ROLE (e.g. kim=communications)")
        if login.strip() in team:
            raise InvalidValue("role", f"{login.strip()} is named twice; give each person "
                               "one role")
        team[login.strip()] = role.strip() or None
    return team


def next_update_time(text: str | None, now: datetime, zone: ZoneInfo) -> datetime | None:
    """``--next-update``: an ISO time (the team's zone unless it says) or ``+30m`` /
    ``+1h`` from now."""
    if text is None:
        return None
    relative = _RELATIVE.match(text.strip())
    if relative:
        try:
            amount = int(relative.group(1))  # ValueError past 4300 digits
            return now + (timedelta(hours=amount) if relative.group(2) == "h"
                          else timedelta(minutes=amount))
        except (OverflowError, ValueError):
            raise InvalidValue("next_update_at", f"{text.strip()!r} is too far ahead "
                               "(give +30m, +1h or a date and time)") from None
    return parse_time(text, "next_update_at", zone)


def logging_hints(desk: Any, number: str) -> list[str]:
    """What ``desk-app log`` tells about a ticket just logged, as the logging form offers
    it: the major-incident criteria it meets (declare it, or name its manager when the
    criteria declared it) and the running major incidents on its service or CI (attach
    it)."""
    ticket = ticket_by_number(number)
    if ticket.type != TicketType.INCIDENT:
        return []
    command = (f"desk-app major declare {ticket.number} --manager LOGIN --role LOGIN=ROLE "
               "--reason TEXT")
    if ticket.major:
        return [] if ticket.major_manager_id else [
            f"{ticket.number} is a major incident by the criteria; name its manager and "
            f"team: {command}"]
    reasons = preview_logging(desk.session, ticket.impact, ticket.urgency,
                              ticket.service or "").major_reasons
    hints = [f"{ticket.number} meets the major-incident criteria ({'; '.join(reasons)}); "
             f"to declare it: {command}"] if reasons else []
    hints += [f"{ticket.number} matches the running major incident {major.number} "
              f"({major.summary}); to attach it: desk-app major attach {major.number} "
              f"{ticket.number}"
              for major in major_children.majors_matching(ticket.service, ticket.ci)]
    return hints


def cmd_declare(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    team = roles_given(args.role)
    missing = [login for login, role in team.items() if role is None]
    if missing:
        raise InvalidValue("role", f"{missing[0]}= needs a role (commander, communications, "
                           "resolver)")
    major_incidents.declare(
        desk.session, args.number, args.manager, args.reason, team=team,
        bridge_link=args.bridge_link, bridge_phone=args.bridge_phone,
        bridge_room=args.bridge_room, stakeholders=args.stakeholder)
    _said(desk, args, "declared a major incident")


def cmd_stand_down(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    major_incidents.stand_down(desk.session, args.number, args.reason)
    _said(desk, args, "stood down; no longer a major incident")


def cmd_team(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    session, number = desk.session, args.number
    team = roles_given(args.role)
    if args.manager is None and not team and args.stakeholder is None:
        raise InvalidValue("team", "give --manager, --role or --stakeholder")
    major_incidents.change_team(session, number, args.manager, team, args.stakeholder)
    _said(desk, args, "team changed")


def cmd_bridge(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    major_incidents.set_bridge(desk.session, args.number, args.bridge_link,
                               args.bridge_phone, args.bridge_room)
    _said(desk, args, "bridge set")


def cmd_log(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    zone = ZoneInfo(desk.session.policy.time_zone)
    at = parse_time(given_text(args.at, "at"), "at", zone)
    text = option_text("text", args.text, major_incidents.TEXT_LIMIT)
    major_incidents.log_entry(desk.session, args.number, args.kind, text, at)
    _said(desk, args, f"{human_label(args.kind.strip().lower())} logged")


def cmd_attach(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    children = major_children.attach_children(desk.session, args.number, args.children)
    _said(desk, args, "children attached: " + ", ".join(c.number for c in children))


def cmd_detach(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    child = major_children.detach_child(desk.session, args.number)
    if args.json:
        print_json({"number": child.number, "parent": None})
    else:
        print(plain(f"{child.number}: no longer a child incident"))


def cmd_update(args: argparse.Namespace) -> None:
    parts = {name: option_text(name, getattr(args, name), major_updates.PART_LIMIT)
             for name in ("status", "impact", "actions", "workaround")}
    desk = desk_for(args)
    session = desk.session
    zone = ZoneInfo(session.policy.time_zone)
    following = next_update_time(given_text(args.next_update, "next_update_at"),
                                 session.now(), zone)
    update = major_updates.send_update(session, args.number, **parts,
                                       next_update_at=following, final=args.final)
    _said(desk, args, f"update #{update.sequence}{' (final)' if update.final else ''} sent")


def cmd_show(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    board = major_board.major_board(desk.session, args.number)
    if args.json:
        print_json(board.as_dict())
        return
    zone = ZoneInfo(desk.session.policy.time_zone)
    for line in board_lines(board, zone, desk.session.now()):
        print(plain(line))


def cmd_list(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    rows = major_board.active_majors(desk.session)
    if args.json:
        print_json([{**vars(row), "next_update_due": _iso(row.next_update_due)}
                    for row in rows])
        return
    zone = ZoneInfo(desk.session.policy.time_zone)
    for row in rows:
        print(plain(f"{row.number}  {row.priority}  {human_label(row.status):<11}  "
                    f"manager {row.manager or '-'}  {row.children} child(ren)  next update "
                    f"{_when(row.next_update_due, zone)}  {row.summary}"))
    print(f"({len(rows)} active major incident{'s' if len(rows) != 1 else ''})")


def board_lines(board: major_board.MajorBoard, zone: ZoneInfo, now: datetime) -> list[str]:
    """The board as text lines."""
    lines = [f"{board.number}  {board.priority}  {human_label(board.status)}  "
             f"{'MAJOR INCIDENT' if board.major else 'stood down'}: {board.summary}"]
    if board.reason:
        lines.append(f"Reason: {board.reason}")
    lines += [f"Detected {_when(board.detected_at, zone)}, logged {_when(board.logged_at, zone)}"
              f", declared {_when(board.declared_at, zone)}",
              f"Response due {_when(board.response_due, zone)}, resolution due "
              f"{_when(board.resolution_due, zone)}"
              + (f", resolved {_when(board.resolved_at, zone)}" if board.resolved_at else "")]
    due = board.next_update_due
    if due is not None:
        minutes = int((due - now).total_seconds() // 60)
        lines.append(f"Next update due {_when(due, zone)} "
                     + (f"(in {minutes} min)" if minutes >= 0 else f"({-minutes} min late)"))
    elif board.rhythm_closed:
        lines.append("Updates: the final update was sent")
    lines.append("Manager: " + (f"{board.manager.name} ({board.manager.login})"
                                if board.manager else "-"))
    if board.manager_notice:
        lines.append(f"  ({board.manager_notice})")
    lines.append("Team: " + (", ".join(f"{m.name} ({m.login}, {m.role})" for m in board.team)
                             or "-"))
    bridge = [part for part in (board.bridge_link, board.bridge_phone, board.bridge_room)
              if part]
    lines.append("Bridge: " + (" | ".join(bridge) or "-"))
    lines.append("Stakeholders: " + (", ".join(board.stakeholders) or "-"))
    if board.services or board.cis:
        lines.append("Affected: " + ", ".join(board.services + board.cis))
    lines.append(f"Children ({len(board.children)}):")
    lines += [f"  {c.number}  {human_label(c.status):<11}  {c.summary}" for c in board.children]
    lines.append(f"Timeline ({len(board.timeline)}):")
    lines += [f"  {_when(e.at, zone)}  {e.kind:<8}  {e.by}: {e.text}" for e in board.timeline]
    lines.append(f"Updates ({len(board.updates)}):")
    lines += [f"  #{u.sequence} {_when(u.at, zone)} by {u.by}{' (final)' if u.final else ''}: "
              f"{u.status}" for u in board.updates]
    return lines


def _said(desk: Any, args: argparse.Namespace, message: str) -> None:
    if args.json:
        print_json(major_board.major_board(desk.session, args.number).as_dict())
    else:
        print(plain(f"{args.number.strip().upper()}: {message}"))


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
