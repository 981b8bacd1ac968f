"""Handlers of the ticket commands: log, show, list and the lifecycle activities."""

import argparse
from zoneinfo import ZoneInfo

from desk_app.app import Desk, open_desk
from desk_app.cli.arguments import parse_time
from desk_app.cli.output import plain, print_json, print_ticket, print_ticket_table
from desk_app.core.enums import OPEN_STATUSES
from desk_app.core.errors import InvalidValue
from desk_app.core.labels import human_label
from desk_app.core.satisfaction_filter import score_range
from desk_app.services import classification, escalation, links, workflow
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.lookup import ticket_by_number, tickets_by_number_text
from desk_app.services.queues import listing_count
from desk_app.services.reporting import ticket_rows
from desk_app.services.ticket_view import ticket_view
from desk_app.services.updates import add_update, save_edits
from desk_app.storage.ticket_queries import TicketFilter


def desk_for(args: argparse.Namespace) -> Desk:
    """Open the desk the global options name."""
    return open_desk(args.data_dir, args.as_login)


def _done(desk: Desk, args: argparse.Namespace, number: str, message: str) -> None:
    ticket = ticket_by_number(number)
    if getattr(args, "json", False):
        print_json(ticket_view(desk.session, ticket))
    else:
        print(plain(f"{ticket.number}: {message}"))


def cmd_log(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    zone = ZoneInfo(desk.session.policy.time_zone)
    detected = parse_time(args.detected_at, "detected_at", zone) or desk.session.now()
    ticket = log_ticket(desk.session, NewTicket(
        summary=args.summary or "", description=args.description or "",
        reporter=args.reporter or "", contact=args.contact or "", channel=args.channel or "",
        service=args.service or "", impact=args.impact or "", urgency=args.urgency or "",
        detected_at=detected, ci=args.ci, category=args.category,
        subcategory=args.subcategory, type=args.type))
    if args.json:
        print_json(ticket_view(desk.session, ticket))
    else:
        print(ticket.number)
        _major_hints(desk, ticket.number)


def _major_hints(desk: Desk, number: str) -> None:
    """Offer declaring or attaching, on stderr (stdout stays the number for scripts)."""
    import sys

    from desk_app.cli.major_commands import logging_hints

    for line in logging_hints(desk, number):
        print(plain(line), file=sys.stderr)


def cmd_show(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    view = ticket_view(desk.session, ticket_by_number(args.number))
    print_json(view) if args.json else print_ticket(view)


def cmd_edit(args: argparse.Namespace) -> None:
    from desk_app.cli.parser import EDITABLE_DETAILS

    changes = {name: getattr(args, name) for name in (*EDITABLE_DETAILS, "no_email")
               if getattr(args, name) is not None}
    if args.subcategory is not None and args.category is None:
        raise InvalidValue("subcategory", "give it with --category")
    category = (args.category, args.subcategory) if args.category is not None else None
    if not changes and category is None:
        raise InvalidValue("details", "nothing to change: give --summary, --description, "
                           "--reporter, --contact, --service, --ci, --category or --no-email")
    desk = desk_for(args)
    t = save_edits(desk.session, args.number, changes, category)
    saved = [*changes, *(["category"] if category else [])]
    _done(desk, args, t.number, "saved " + ", ".join(saved))


def cmd_list(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    statuses = set(args.status or [])
    open_only = statuses == {"open"}  # alone: the open queue (walks its index)
    if "open" in statuses and not open_only:  # with others: any of them (a union)
        statuses = (statuses - {"open"}) | {s.value for s in OPEN_STATUSES}
    flt = TicketFilter(
        open_only=open_only,
        statuses=[] if open_only else sorted(statuses),
        priorities=[p.upper() for p in args.priority or []],
        types=args.type or [],
        category=args.category, group=args.group, assignee=args.assignee,
        unassigned=args.unassigned, major_only=args.major,
        satisfaction=score_range(args.satisfaction) if args.satisfaction is not None
        else None,
        search=args.search)
    named = tickets_by_number_text(desk.session, args.search) if args.search else []
    if named:  # a number (2697, inc-2697) lists the tickets it names, wherever they are
        flt = TicketFilter(ids=tuple(ticket.id for ticket in named))
    rows = ticket_rows(desk.session, flt, sort=args.sort, descending=args.desc,
                       limit=args.limit)
    if args.json:
        print_json(rows)
    else:
        print_ticket_table(rows, total=listing_count(desk.session, flt),
                           satisfaction=args.satisfaction is not None
                           or args.sort == "satisfaction")


def cmd_assign(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.assign(desk.session, args.number, group=args.group, technician=args.technician)
    _done(desk, args, t.number, f"assigned to {t.group.name if t.group_id else '-'}"
          f"{' / ' + t.assignee.login if t.assignee_id else ''}")


def cmd_start(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.start_work(desk.session, args.number)
    _done(desk, args, t.number, "in progress")


def cmd_escalate(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    if args.hierarchic:
        t = escalation.escalate_hierarchic(desk.session, args.number, args.reason)
        level = desk.session.policy.hierarchic.level_name(t.hierarchic_level)
        _done(desk, args, t.number, f"escalated to management: {level}")
    else:
        t = escalation.escalate_functional(desk.session, args.number, args.reason)
        _done(desk, args, t.number, f"escalated to {t.support_level} ({t.group.name})")


def cmd_hold(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.hold(desk.session, args.number, args.reason, args.note or "")
    paused = " (SLA paused)" if t.sla_stopped_since else ""
    _done(desk, args, t.number, f"on hold, {t.hold_reason}{paused}")


def cmd_resume(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.resume(desk.session, args.number)
    _done(desk, args, t.number, "resumed")


def cmd_note(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    add_update(desk.session, args.number, args.text, minutes=args.minutes, kind=args.kind,
               status=args.status, hold_reason=args.hold_reason)
    moved = f", now {human_label(args.status)}" if args.status else ""
    _done(desk, args, args.number, f"worklog entry added{moved}")


def cmd_resolve(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.resolve(desk.session, args.number, args.type, args.code, args.notes,
                         may_recur=args.may_recur, knowledge=args.knowledge,
                         problem_decision="not_needed" if args.no_problem_needed else None,
                         problem_reason=args.no_problem_reason, article=args.article,
                         publish_knowledge=args.publish_knowledge)
    _done(desk, args, t.number, f"resolved ({t.resolution_type}); awaiting user confirmation")


def cmd_confirm(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.confirm(desk.session, args.number, score=args.score, comment=args.comment)
    rated = f"; satisfaction {t.satisfaction_score}/5" if args.score is not None else ""
    _done(desk, args, t.number, "resolution confirmed by the user" + rated)


def cmd_reject(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.reject(desk.session, args.number, args.reason)
    _done(desk, args, t.number, f"resolution rejected; reopened ({t.reopen_count})")


def cmd_close(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.close(desk.session, args.number, knowledge=args.knowledge,
                       problem_decision="not_needed" if args.no_problem_needed else None,
                       problem_reason=args.no_problem_reason, article=args.article)
    _done(desk, args, t.number, f"closed ({t.confirmation})")


def cmd_reopen(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    ticket, same = workflow.reopen(desk.session, args.number, args.reason)
    if same:
        _done(desk, args, ticket.number, f"reopened ({ticket.reopen_count})")
    else:
        _done(desk, args, ticket.number,
              f"logged as a new incident following {args.number.upper()} "
              "(past the reopen window)")


def cmd_cancel(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = workflow.cancel(desk.session, args.number, args.reason, args.note or "",
                        duplicate_of=args.duplicate_of)
    _done(desk, args, t.number, f"cancelled ({t.cancel_reason})")


def cmd_link(args: argparse.Namespace) -> None:
    chosen = [name for name in ("problem", "raise_problem", "rfc", "parent", "related")
              if getattr(args, name)]
    if len(chosen) != 1:
        raise InvalidValue("link", "give exactly one of --problem, --raise-problem, --rfc, "
                           "--parent, --related")
    desk = desk_for(args)
    session, number = desk.session, args.number
    if args.problem:
        links.link_problem(session, number, args.problem)
        message = f"linked to problem {args.problem.upper()}"
    elif args.raise_problem:
        problem = links.raise_problem(session, number)
        message = f"problem {problem.number} raised and linked"
    elif args.rfc:
        links.set_rfc(session, number, args.rfc)
        message = f"RFC reference {args.rfc}"
    elif args.parent:
        links.set_parent(session, number, args.parent)
        message = f"child of {args.parent.upper()}"
    else:
        links.relate(session, number, args.related)
        message = f"related to {args.related.upper()}"
    _done(desk, args, number, message)


def cmd_checklist(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    if args.tick:
        classification.tick_checklist(desk.session, args.number, args.tick)
    view = ticket_view(desk.session, ticket_by_number(args.number))
    if args.json:
        print_json(view["checklists"])
        return
    for name in ("logging", "categorisation", "closure"):
        print(f"{name} checklist:")
        for index, item in enumerate(view["checklists"][name], 1):
            label = plain(item.get("label", item["item"]))
            print(f"  [{'x' if item['done'] else ' '}] {index}. {label}")


def cmd_categorise(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = classification.categorise(desk.session, args.number, args.category, args.subcategory)
    _done(desk, args, t.number, f"categorised {t.category} / {t.subcategory or '-'}")


def cmd_reprioritise(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    t = classification.reprioritise(desk.session, args.number, args.reason, impact=args.impact,
                                    urgency=args.urgency, priority=args.priority)
    _done(desk, args, t.number, f"now {t.priority}")


def cmd_convert(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    old = args.number.upper()
    t = classification.convert(desk.session, args.number, args.to)
    _done(desk, args, t.number, f"converted from {old} to a {t.type}")

