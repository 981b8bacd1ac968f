"""``desk-app watch``: the watcher for a desk that is always on (until Ctrl+C, or one
pass with ``--once``), and ``housekeeping``, its one-pass alias."""

import argparse
import json
import sys
import time
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import InvalidValue
from desk_app.services.watch import WatchResult, watch_pass

SHORTEST_SLEEP = 1.0  # seconds: never spin, whatever the next due moment says


def pass_lines(result: WatchResult, zone: ZoneInfo) -> list[str]:
    """What a pass did, one line each (the moment each rule applied, in the desk's zone)."""
    lines = []
    for entry in result.done:
        at = entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        text = {
            "breach": f"{entry.detail} SLA breached",
            "warning": f"{entry.detail} SLA warning sent",
            "hierarchic": f"escalated to {entry.detail}",
            "functional": f"escalated to {entry.detail} (functional rule)",
            "auto_close": "auto-closed after the grace period",
            "auto_close_skipped": f"grace period over, not closed: {entry.detail} "
                                  "(assignee told)",
            "update_due": "major-incident update due (communications role or manager told)",
            "update_missed": "major-incident update missed (communications role or manager told)",
        }.get(entry.rule, f"{entry.rule} {entry.detail}")
        lines.append(plain(f"{entry.number}: {text} (at {at})"))
    told = {e.number for e in result.done if e.rule == "auto_close_skipped"}
    for number, unmet in result.awaiting_closure:
        if number not in told:
            lines.append(plain(f"{number}: grace period over, cannot close yet: "
                               f"{'; '.join(unmet)}"))
    return lines


def _next_line(result: WatchResult, zone: ZoneInfo) -> str:
    if result.next_due is None:
        return "next due: nothing is waiting on a clock"
    return f"next due: {result.next_due.astimezone(zone).strftime('%Y-%m-%d %H:%M:%S')}"


def cmd_housekeeping(args: argparse.Namespace) -> None:
    """One pass (the older name of ``watch --once``; its text leaves out the next due
    moment, as it always did)."""
    _one_pass(args, next_line=False)


def _one_pass(args: argparse.Namespace, next_line: bool = True) -> WatchResult:
    desk = desk_for(args)
    zone = ZoneInfo(desk.session.policy.time_zone)
    result = watch_pass(desk.session)
    if args.json:
        print_json(result.as_dict())
    else:
        print("\n".join(pass_lines(result, zone)) or "nothing to do")
        if next_line:
            print(_next_line(result, zone))
    return result


def sleep_seconds(next_due: datetime | None, now: datetime, interval: float) -> float:
    """How long to sleep after a pass: until the next due moment, at most ``interval``."""
    wait = interval if next_due is None else min(interval, (next_due - now).total_seconds())
    return max(wait, SHORTEST_SLEEP)


def cmd_watch(args: argparse.Namespace) -> None:
    """Run the watcher until Ctrl+C (or one pass with ``--once``)."""
    if not 1 <= args.interval <= 24 * 3600:
        raise InvalidValue("interval", "must be between 1 and 86400 seconds")
    if args.once:
        _one_pass(args)
        return
    desk = desk_for(args)
    zone = ZoneInfo(desk.session.policy.time_zone)
    passes, counts = 0, Counter()
    if not args.json:
        print(f"watching (every {args.interval:g} s and at each due moment; Ctrl+C stops)",
              flush=True)
    try:
        while True:
            result = watch_pass(desk.session)
            passes += 1
            counts.update(entry.rule for entry in result.done)
            if args.json:
                print(json.dumps(result.as_dict(), default=str), flush=True)
            elif result.done:
                print("\n".join(pass_lines(result, zone)), flush=True)
            time.sleep(sleep_seconds(result.next_due, desk.session.now_fn(), args.interval))
    except KeyboardInterrupt:
        pass
    summary = {"passes": passes, "done": dict(sorted(counts.items()))}
    if args.json:
        print(json.dumps({"summary": summary}), flush=True)
    else:
        done = ", ".join(f"{n} {rule}" for rule, n in sorted(counts.items())) or "nothing"
        print(f"stopped after {passes} pass(es); did: {done}", file=sys.stdout, flush=True)
