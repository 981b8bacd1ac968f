"""The ``housekeeping`` name of one watcher pass (:mod:`desk_app.services.watch`):
kept for the command, cron jobs and scripts that call it."""

from desk_app.services.watch import HousekeepingResult, WatchResult, housekeeping

__all__ = ["HousekeepingResult", "WatchResult", "housekeeping"]
