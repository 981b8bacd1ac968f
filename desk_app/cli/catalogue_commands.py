"""Handlers of ``desk-app catalogue``: services and configuration items listed, shown
with their incident history, added, changed, removed, imported from and exported to
CSV."""

import argparse
import sys
from pathlib import Path

from desk_app.cli.arguments import path_text
from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.catalogue import CI_FIELDS, SERVICE_FIELDS, target_text
from desk_app.core.errors import InvalidValue, NotFound
from desk_app.services import catalogue
from desk_app.services.catalogue_csv import export_catalogue, import_catalogue
from desk_app.services.transfer.files import check_export_target

KIND_WORDS = {"service": "service", "services": "service", "ci": "ci", "cis": "ci"}


def _kind(args: argparse.Namespace) -> str:
    return KIND_WORDS[args.kind]


def _fields(args: argparse.Namespace, kind: str) -> dict[str, str]:
    """The field options given on the command line (None: not given)."""
    names = SERVICE_FIELDS if kind == "service" else CI_FIELDS
    return {name: getattr(args, name) for name in names
            if name != "name" and getattr(args, name, None) is not None}


def cmd_catalogue_list(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    kind = _kind(args)
    rows = catalogue.list_entries(desk.session, kind, include_retired=args.retired)
    rows = [{k: v for k, v in row.items() if k != "id"} for row in rows]
    if args.json:
        print_json(rows)
        return
    for row in rows:
        flag = " (retired)" if row["retired"] else ""
        if kind == "service":
            print(plain(f"{row['name']:<28} {row['criticality']:<9} "
                        f"{row['owner_group'] or '-'}{flag}"))
        else:
            print(plain(f"{row['name']:<24} {row['type'] or '-':<14} "
                        f"{row['service'] or '-'}{flag}"))


def cmd_catalogue_show(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    kinds = [KIND_WORDS[args.kind]] if args.kind else ["ci", "service"]
    page = None
    for kind in kinds:
        try:
            page = catalogue.entry_page(desk.session, kind, args.name)
            break
        except NotFound:
            if kind == kinds[-1]:
                raise NotFound("name", f"no configuration item or service named "
                               f"{args.name!r} in the catalogue") from None
    assert page is not None
    if args.json:
        print_json(page)
        return
    _print_page(page)


def _print_page(page: dict) -> None:
    entry = page["entry"]
    label = "Service" if page["kind"] == "service" else "Configuration item"
    print(plain(f"{label} {entry['name']}" + (" (retired)" if entry["retired"] else "")))
    for key, value in entry.items():
        if key in ("name", "retired") or value in (None, ""):
            continue
        shown = target_text(value) if key == "sla_targets" else value
        print(plain(f"  {key.replace('_', ' ')}: {shown}"))
    counts = page["counts"]
    print(f"  {counts['tickets']} ticket(s), {counts['open']} open")
    for ticket in page["history"]:
        mark = "*" if ticket["open"] else " "
        print(plain(f" {mark} {ticket['number']}  {ticket['logged_at']:%Y-%m-%d}  "
                    f"{ticket['priority']}  {ticket['status']:<11} {ticket['summary']}"))


def cmd_catalogue_add(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    kind = _kind(args)
    row = catalogue.add_entry(desk.session, kind, {"name": args.name} | _fields(args, kind))
    if args.json:
        print_json({k: v for k, v in row.items() if k != "id"})
    else:
        print(plain(f"{catalogue.KIND_LABEL[kind]} {row['name']} added"))


def cmd_catalogue_edit(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    kind = _kind(args)
    changes: dict = _fields(args, kind)
    if args.retired is not None:
        changes["retired"] = args.retired == "yes"
    row = catalogue.edit_entry(desk.session, kind, args.name, changes)
    if args.json:
        print_json({k: v for k, v in row.items() if k != "id"})
    else:
        print(plain(f"{catalogue.KIND_LABEL[kind]} {row['name']} changed"))


def cmd_catalogue_remove(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    kind = _kind(args)
    outcome = catalogue.remove_entry(desk.session, kind, args.name)
    if args.json:
        print_json({"name": args.name, "outcome": outcome})
    elif outcome == "retired":
        print(plain(f"{args.name} retired (tickets or the team know it; its history stays)"))
    else:
        print(plain(f"{args.name} removed"))


def cmd_catalogue_import(args: argparse.Namespace) -> None:
    path = Path(path_text(args.file, "file"))
    desk = desk_for(args)
    kind = _kind(args)
    count = import_catalogue(desk.session, kind, path)
    if args.json:
        print_json({"imported": count, "kind": kind})
    else:
        print(f"imported {count} {catalogue.KIND_LABEL[kind]}(s)")


def cmd_catalogue_export(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    kind = _kind(args)
    if args.json and not args.out:
        raise InvalidValue("json", "prints what an export to --out FILE wrote; without "
                           "--out the CSV itself is printed")
    if not args.out:
        export_catalogue(desk.session, kind, sys.stdout)
        return
    target = check_export_target(Path(path_text(args.out, "out")))
    with target.open("w", encoding="utf-8", newline="") as out:
        count = export_catalogue(desk.session, kind, out)
    if args.json:
        print_json({"exported": count, "kind": kind, "file": str(target)})
    else:
        print(f"exported {count} row(s) to {target}", file=sys.stderr)
