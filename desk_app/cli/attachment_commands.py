"""Handlers of the attachment commands: attach, attachments, attachment get."""

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.attachment_rules import human_size
from desk_app.services.attachments import (
    AttachmentInfo,
    attach_files,
    attachment,
    list_attachments,
    save_copy,
)
from desk_app.services.lookup import ticket_by_number


def _record(info: AttachmentInfo, number: str, zone: ZoneInfo) -> dict[str, Any]:
    return {"id": info.id, "ticket": number, "name": info.name,
            "content_type": info.content_type, "size": info.size, "sha256": info.sha256,
            "at": info.at.astimezone(zone).isoformat(timespec="seconds"), "by": info.by,
            "source": info.source, "on_this_desk": info.here}


def _print(records: list[dict[str, Any]]) -> None:
    for r in records:
        where = "" if r["on_this_desk"] else "  (on the team database)"
        print(plain(f"{r['id']}  {r['name']}  {human_size(r['size'])}  {r['by']}  "
                    f"{r['at']}{where}"))
    print(f"({len(records)} attachment{'s' if len(records) != 1 else ''})")


def cmd_attach(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    number = ticket_by_number(args.number).number
    made = attach_files(desk.session, number, args.files)
    zone = ZoneInfo(desk.session.policy.time_zone)
    records = [_record(attachment(row.id), number, zone) for row in made]
    if args.json:
        print_json(records)
    else:
        for r in records:
            print(plain(f"{number}: attached {r['name']} ({human_size(r['size'])}) as {r['id']}"))


def cmd_attachments(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    number = ticket_by_number(args.number).number
    zone = ZoneInfo(desk.session.policy.time_zone)
    records = [_record(info, number, zone) for info in list_attachments(desk.session, number)]
    print_json(records) if args.json else _print(records)


def cmd_attachment_get(args: argparse.Namespace) -> None:
    desk_for(args)
    written = save_copy(args.id, args.out, force=args.force)
    if args.json:
        print_json({"id": args.id, "written": str(written)})
    else:
        print(plain(str(written)))
