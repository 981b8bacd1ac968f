"""Handlers of ``desk-app review``: the post-incident review of a major incident."""

import argparse
from pathlib import Path
from typing import Any

from desk_app.cli.arguments import given_text, path_text
from desk_app.cli.output import plain, print_json
from desk_app.cli.text_options import option_text
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import InvalidValue
from desk_app.core.labels import human_label
from desk_app.core.major_review import SECTION_KEYS, SECTIONS
from desk_app.services import major_review
from desk_app.services.report_files import report_target, write_report_file
from desk_app.services.review_export import NOT_RECORDED, review_markdown


def _show(view: dict[str, Any]) -> None:
    print(plain(f"{view['number']}  {view['priority']}  {view['summary']}"))
    state = human_label(view["status"])
    if view["completed_at"]:
        state += f" by {view['completed_by']} at {view['completed_at']}"
    print(plain(f"review: {state}; problem record: {view['problem'] or 'none linked'}"))
    print("timeline:")
    for point in view["timeline"]:
        print(f"  {point['label']:<15} {point['at'] or NOT_RECORDED}")
    for section in SECTIONS:
        text = view["sections"][section.key]
        print(plain(f"{section.title}:"))
        print(plain(f"  {text}" if text else "  (not written yet)", multiline=True))
    print(f"corrective actions ({len(view['actions'])}):")
    for action in view["actions"]:
        state = "OVERDUE" if action["overdue"] else action["status"]
        print(plain(f"  {action['ref']}  {state:<7}  due {action['due']}  "
                    f"{action['owner']}: {action['text']}"))


def _view(desk: Any, number: str) -> dict[str, Any]:
    return major_review.review_view(desk.session, number)


def _report(desk: Any, args: argparse.Namespace, message: str) -> None:
    if args.json:
        print_json(_view(desk, args.number))
    else:
        print(plain(f"{args.number.upper()}: {message}"))


def cmd_show(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    view = _view(desk, args.number)
    print_json(view) if args.json else _show(view)


def cmd_edit(args: argparse.Namespace) -> None:
    texts = {key: option_text(key, getattr(args, key)) for key in SECTION_KEYS
             if getattr(args, key) is not None}
    problem = given_text(args.problem, "problem")
    if not texts and problem is None and not args.raise_problem:
        raise InvalidValue("review", "nothing to change: give a section ("
                           + ", ".join(f"--{key}" for key in SECTION_KEYS)
                           + "), --problem or --raise-problem")
    desk = desk_for(args)
    major_review.write_review(desk.session, args.number, texts, problem,
                              create_problem=args.raise_problem)
    said = ["wrote " + ", ".join(texts)] if texts else []
    if problem is not None or args.raise_problem:
        said.append(f"problem record {_view(desk, args.number)['problem']}")
    _report(desk, args, "; ".join(said))


def cmd_complete(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    major_review.complete_review(desk.session, args.number)
    _report(desk, args, "review complete")


def cmd_action_add(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    action = major_review.add_action(desk.session, args.number, args.text, args.owner, args.due)
    _report(desk, args, f"action {major_review.action_ref(action.id)} added")


def cmd_action_edit(args: argparse.Namespace) -> None:
    if args.text is None and args.owner is None and args.due is None:
        raise InvalidValue("action", "nothing to change: give --text, --owner or --due")
    desk = desk_for(args)
    action = major_review.edit_action(desk.session, args.number, args.ref, text=args.text,
                                      owner=args.owner, due=args.due)
    _report(desk, args, f"action {major_review.action_ref(action.id)} changed")


def cmd_action_done(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    action = major_review.mark_action_done(desk.session, args.number, args.ref)
    _report(desk, args, f"action {major_review.action_ref(action.id)} done")


def cmd_export(args: argparse.Namespace) -> None:
    out = report_target(Path(path_text(args.out, "out")))  # refused before any work
    desk = desk_for(args)
    view = _view(desk, args.number)
    markdown = review_markdown(view)
    if args.format == "md":
        out = write_report_file(out, lambda scratch: scratch.write_text(markdown,
                                                                        encoding="utf-8"))
    else:
        from desk_app.app import write_pdf_document  # Qt only for a PDF

        out = write_report_file(out, lambda scratch: write_pdf_document(
            markdown, scratch, f"Post-incident review {view['number']}"))
    if args.json:
        print_json({"number": view["number"], "format": args.format, "out": str(out)})
    else:
        print(plain(f"{view['number']}: review written to {out}"))
