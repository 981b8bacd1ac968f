"""Handlers of ``desk-app kb``: knowledge articles."""

import argparse
from typing import Any

from desk_app.cli.output import plain, print_json
from desk_app.cli.text_options import option_text
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import InvalidValue
from desk_app.core.knowledge import TEXT_FIELDS
from desk_app.services import knowledge
from desk_app.services.knowledge_view import article_view, list_articles
from desk_app.services.lookup import ticket_by_number


def _given(args: argparse.Namespace) -> dict[str, Any]:
    values = {"title": args.title, "category": args.category, "service": args.service,
              "ci_type": args.ci_type,
              **{name: option_text(name, getattr(args, name)) for name in TEXT_FIELDS}}
    return {name: value for name, value in values.items() if value is not None}


def _done(desk: Any, args: argparse.Namespace, number: str, message: str) -> None:
    if args.json:
        print_json(article_view(desk.session, number))
    else:
        print(plain(f"{number}: {message}"))


def cmd_new(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    if args.from_ticket:
        article = knowledge.article_from_ticket(desk.session, ticket_by_number(args.from_ticket))
        given = _given(args)
        if given:
            article = knowledge.edit_article(desk.session, article.number, **given)
    else:
        article = knowledge.new_article(desk.session, **_given(args))
    if args.json:
        print_json(article_view(desk.session, article.number))
    else:
        print(article.number)


def cmd_edit(args: argparse.Namespace) -> None:
    given = _given(args)
    if not given:
        raise InvalidValue("article", "nothing to change: give --title, --symptoms, --cause, "
                                      "--solution, --category, --service or --ci-type")
    desk = desk_for(args)
    article = knowledge.edit_article(desk.session, args.number, **given)
    _done(desk, args, article.number, "saved " + ", ".join(given))


def cmd_show(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    view = article_view(desk.session, args.number)
    if args.json:
        print_json(view)
        return
    print(plain(f"{view['number']}  {view['status']}  {view['title']}"))
    print(plain(f"  category {view['category'] or '-'}, service {view['service'] or '-'}, "
                f"CI type {view['ci_type'] or '-'}"))
    print(plain(f"  by {view['author']}, last reviewed {view['reviewed_at'] or 'never'}"))
    if view["source_ticket"]:
        print(plain(f"  written from {view['source_ticket']}"))
    for name in TEXT_FIELDS:
        if view[name]:
            print(f"\n{name.capitalize()}:\n" + plain(view[name], multiline=True))


def cmd_list(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    if args.limit < 1:
        raise InvalidValue("limit", "must be at least 1")
    rows = list_articles(desk.session, args.status, args.limit)
    if args.json:
        print_json(rows)
        return
    for row in rows:
        print(plain(f"{row['number']}  {row['status']:<9}  {row['title']}"))
    print(f"({len(rows)} article{'s' if len(rows) != 1 else ''})")


def cmd_publish(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    _done(desk, args, knowledge.publish_article(desk.session, args.number).number, "published")


def cmd_retire(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    _done(desk, args, knowledge.retire_article(desk.session, args.number).number, "retired")


def cmd_revise(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    _done(desk, args, knowledge.revise_article(desk.session, args.number).number,
          "back to draft")
