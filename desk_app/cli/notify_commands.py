"""notifications (list, read), and the preference options of profile."""

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo

from desk_app.app import Desk
from desk_app.cli.arguments import parse_time
from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import InvalidValue
from desk_app.core.labels import human_label
from desk_app.services.notifications import mark_all_read, mark_read, my_notifications
from desk_app.services.preferences import UNCHANGED, Preferences, set_preferences

PREFERENCE_OPTIONS = ("away_until", "calendar", "skills", "events_off", "quiet_hours")


def cmd_notifications(args: argparse.Namespace) -> None:
    """List my notifications, newest first (unread ones marked with *)."""
    desk = desk_for(args)
    mine = my_notifications(desk.session, unread_only=args.unread)
    if args.json:
        print_json({"unread": mine.unread, "breaching": mine.breaching,
                    "notifications": [item.as_dict() for item in mine.items]})
        return
    zone = ZoneInfo(desk.session.policy.time_zone)
    for item in mine.items:
        print(plain(f"{' ' if item.read else '*'} {item.at.astimezone(zone):%Y-%m-%d %H:%M} "
                    f"{human_label(item.event):<20} {item.text}  [{item.id}]"))
    print(plain(f"{mine.unread} unread" + (f"; {mine.breaching} of your tickets breached"
                                           if mine.breaching else "")))


def cmd_notifications_read(args: argparse.Namespace) -> None:
    """Mark one notification, or all of mine, read."""
    if args.all and args.id:
        raise InvalidValue("id", "name notification ids or --all, not both")
    if not args.all and not args.id:
        raise InvalidValue("id", "name a notification id, or --all")
    if not all(i.strip() for i in args.id):
        raise InvalidValue("id", "a notification id is blank")
    desk = desk_for(args)
    count = mark_all_read(desk.session) if args.all else mark_read(desk.session, args.id)
    if args.json:
        print_json({"marked": count})
    else:
        print(plain(f"{count} marked read"))


def preferences_given(args: argparse.Namespace) -> bool:
    """Whether any preference option of profile was given."""
    return any(getattr(args, name, None) is not None for name in PREFERENCE_OPTIONS)


def apply_preferences(desk: Desk, args: argparse.Namespace) -> Preferences:
    """Store the preference options given to profile (an empty value clears one)."""
    zone = ZoneInfo(desk.session.policy.time_zone)
    away: datetime | None = UNCHANGED
    if args.away_until is not None:
        away = parse_time(args.away_until, "away_until", zone) if args.away_until.strip() \
            else None
    return set_preferences(
        desk.session, away_until=away,
        calendar=UNCHANGED if args.calendar is None else args.calendar,
        skills=UNCHANGED if args.skills is None else args.skills.split(","),
        events_off=UNCHANGED if args.events_off is None else args.events_off.split(","),
        quiet_hours=UNCHANGED if args.quiet_hours is None else args.quiet_hours)


def preference_lines(prefs: Preferences, zone: ZoneInfo) -> list[str]:
    """The preferences as profile prints them."""
    away = prefs.away_until.astimezone(zone).strftime("%Y-%m-%d %H:%M") \
        if prefs.away_until else "-"
    return [f"  away until {away}, calendar {prefs.calendar or '-'}, "
            f"skills {', '.join(prefs.skills) or '-'}",
            f"  notifications off: {', '.join(prefs.events_off) or 'none'}; "
            f"quiet hours {prefs.quiet_hours or 'none'}"]

