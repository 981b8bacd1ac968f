"""Benchmark of incoming mail: importing 10,000 .eml messages into a fresh desk (parse,
thread, write the ticket or worklog entry with its history and sync outbox rows, one
transaction per message, as the poller and ``desk-app mail import`` do) against
parsing the same files with the standard library's email parser alone.

The messages are a realistic mix made with a fixed seed: two thirds new requests
(plain, multipart/alternative, HTML only, Latin-1), one quarter replies to earlier
tickets (tagged subjects, quoted history), and a few auto-replies.

    python tests/benchmarks/bench_mail_import.py                  # 10,000 messages
    python tests/benchmarks/bench_mail_import.py --messages 1000  # quick
"""

import argparse
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from desk_app.app import open_desk
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.mail_in import import_files

WORDS = ("printer", "VPN", "laptop", "password", "screen", "mailbox", "Teams", "badge",
         "network", "slow", "error", "cannot", "since", "morning", "again", "login")


def _sentence(chance: random.Random, words: int) -> str:
    return " ".join(chance.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_messages(folder: Path, count: int) -> list[Path]:
    """``count`` .eml files in ``folder`` (fixed seed)."""
    chance = random.Random(13)
    paths, numbered = [], 0
    for index in range(count):
        sender = f"user{chance.randint(1, 400)}@example.com"
        body = "\n\n".join(_sentence(chance, chance.randint(6, 30)) for _ in range(3))
        head = (f"From: User {index} <{sender}>\r\nTo: helpdesk@example.org\r\n"
                f"Date: Mon, 23 Nov 2026 08:{index % 60:02d}:00 +0000\r\n"
                f"Message-ID: <bench-{index}@example.com>\r\nMIME-Version: 1.0\r\n")
        roll = chance.random()
        if roll < 0.25 and numbered:
            number = f"INC-{chance.randint(1, numbered):06d}"
            data = (f"{head}Subject: RE: [{number}] my problem\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                    f"{body}\r\n\r\nOn Mon, Desk wrote:\r\n> earlier text\r\n> more\r\n")
        elif roll < 0.28:
            data = (f"{head}Subject: Out of office\r\nAuto-Submitted: auto-replied\r\n"
                    "Content-Type: text/plain\r\n\r\nI am away.\r\n")
        else:
            numbered += 1
            subject = _sentence(chance, 5)
            kind = index % 4
            if kind == 0:
                data = (f"{head}Subject: {subject}\r\nContent-Type: text/plain; "
                        f"charset=utf-8\r\n\r\n{body}\r\n")
            elif kind == 1:
                data = (f"{head}Subject: {subject}\r\nContent-Type: multipart/alternative;"
                        f" boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8"
                        f"\r\n\r\n{body}\r\n--b\r\nContent-Type: text/html; charset=utf-8"
                        f"\r\n\r\n<p>{body}</p>\r\n--b--\r\n")
            elif kind == 2:
                data = (f"{head}Subject: {subject}\r\nContent-Type: text/html; "
                        f"charset=utf-8\r\n\r\n<html><body><p>{body}</p><ul><li>one</li>"
                        "</ul></body></html>\r\n")
            else:
                data = (f"{head}Subject: =?ISO-8859-1?Q?B=FCro_{index}?=\r\nContent-Type: "
                        f"text/plain; charset=ISO-8859-1\r\n\r\n{body} Grüße\r\n")
        path = folder / f"{index:05d}.eml"
        path.write_bytes(data.encode("latin-1") if "ISO-8859-1" in data else data.encode())
        paths.append(path)
    return paths


def stdlib_parse(paths: list[Path]) -> float:
    """Seconds the standard library takes to read and parse every file and get its
    text body (the least any importer must do)."""
    parser = BytesParser(policy=policy.default)
    started = time.perf_counter()
    for path in paths:
        message = parser.parsebytes(path.read_bytes())
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            body.get_content()
    return time.perf_counter() - started


def log_by_hand(session, count: int) -> float:
    """Seconds per ticket logged through the logging form's service (one activity each,
    like an import): the desk's own cost of a write, for scale."""
    form = NewTicket(summary="Printer jams", description="Every page", reporter="Bob",
                     contact="bob@example.com", channel="phone", service="Printing",
                     impact="medium", urgency="medium", category="Hardware",
                     detected_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    log_ticket(session, form)
    started = time.perf_counter()
    for _ in range(count):
        log_ticket(session, form)
    return (time.perf_counter() - started) / count


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--messages", type=int, default=10_000)
    args = options.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    try:
        mail = work / "mail"
        mail.mkdir()
        paths = make_messages(mail, args.messages)
        baseline = min(stdlib_parse(paths) for _ in range(3))
        desk = open_desk(work / "desk", login="bench")
        started = time.perf_counter()
        outcomes = import_files(desk.session, paths)
        ours = time.perf_counter() - started
        by_hand = log_by_hand(desk.session, min(1000, args.messages))
        desk.close()
        kinds: dict[str, int] = {}
        for outcome in outcomes:
            kinds[outcome.outcome] = kinds.get(outcome.outcome, 0) + 1
        print(f"messages: {len(paths)} ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
        print(f"stdlib parse only: {baseline:8.2f} s  ({baseline / len(paths) * 1e3:.3f} ms/msg)")
        print(f"desk-app import:   {ours:8.2f} s  ({ours / len(paths) * 1e3:.3f} ms/msg)")
        print(f"ratio (import / parse): {ours / baseline:.1f}x")
        print(f"for scale, logging a ticket by hand (one activity): {by_hand * 1e3:.3f} ms; "
              f"import per message / log by hand: {ours / len(paths) / by_hand:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
