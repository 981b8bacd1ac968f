"""The technician's own profile, from Desk > My profile (the first-run wizard asks on a
new desk): name, email, group, role, and the working preferences (away until, shift
calendar, skills, which notifications, quiet hours). Administrators edit another
technician's preferences from the technicians page (:func:`preferences_dialog`)."""

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QWidget

from desk_app.core.labels import human_label
from desk_app.core.notice_preferences import EVENTS
from desk_app.services.preferences import (
    Preferences,
    away_from_text,
    save_profile,
    set_preferences,
)
from desk_app.services.reference import DeskReference
from desk_app.services.session import Session
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.worker import BackgroundWorker

EVENT_FIELD = "notify_"  # + event: the check box of one notification event


def preference_fields(prefs: Preferences | None, zone: ZoneInfo, calendars: Iterable[str],
                      categories: Iterable[str]) -> list[Field]:
    """The inputs of the working preferences, filled with ``prefs``."""
    away = prefs.away_until.astimezone(zone).strftime("%Y-%m-%d %H:%M") \
        if prefs and prefs.away_until else ""
    return [
        Field("away_until", "Away until", default=away,
              tooltip="Automatic assignment skips you until then (e.g. 2026-12-24 09:00, "
                      f"{zone.key}); empty when you are here"),
        Field("calendar", "Shift calendar", "choice",
              (("(always on shift)", None), *((c, c) for c in calendars)),
              default=prefs.calendar if prefs else None,
              tooltip="Automatic assignment picks you only in this calendar's hours"),
        Field("skills", "Skills", default=", ".join(prefs.skills) if prefs else "",
              tooltip="Categories you are good at, separated by commas: "
                      + ", ".join(categories)),
        *(Field(EVENT_FIELD + event, f"Notify me: {human_label(event).lower()}", "check",
                default=not prefs or event not in prefs.events_off) for event in EVENTS),
        Field("quiet_hours", "Quiet hours", default=prefs.quiet_hours if prefs else "",
              tooltip="No desktop pop-ups in this local span, e.g. 22:00-07:00; the "
                      "notification list still shows everything"),
    ]


def preference_values(values: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """The dialog's preference inputs as :func:`set_preferences` takes them (run on the
    worker: a bad "away until" is refused like any other input)."""
    return {"away_until": away_from_text(values["away_until"], zone),
            "calendar": values["calendar"], "skills": values["skills"].split(","),
            "events_off": [e for e in EVENTS if not values[EVENT_FIELD + e]],
            "quiet_hours": values["quiet_hours"]}


def profile_dialog(parent: QWidget | None, worker: BackgroundWorker, session: Session,
                   reference: DeskReference, first_run: bool) -> FormDialog:
    """A dialog for name, email, support group, role and preferences; saved in one
    activity."""
    zone = reference.zone

    def submit(values: dict, dialog: FormDialog) -> None:
        worker.submit(lambda: save_profile(session, values["name"], values["email"],
                                           values["group"], values["role"],
                                           **preference_values(values, zone)),
                      dialog.succeeded, dialog.refused)

    intro = (f"Welcome to desk-app. A new desk was created for {reference.team_name}; "
             "tell it who you are. As its first technician you are its administrator."
             if first_run else "Your technician profile.")
    dialog = FormDialog(parent, "Technician profile", [
        Field("name", "Name", required=True, default=reference.name),
        Field("email", "Email", default=""),
        Field("group", "Support group", "choice",
              (("(none)", None), *((g, g) for g in reference.groups)),
              default=reference.group),
        Field("role", "Role", "choice",
              tuple((r.replace("_", " "), r) for r in reference.roles), default=reference.role,
              tooltip="Only administrators change roles; a desk keeps at least one"),
        *preference_fields(reference.preferences, zone, reference.calendars,
                           reference.categories),
    ], submit, intro, ok_text="Save profile")
    dialog.setObjectName("profile_dialog")
    return dialog


def preferences_dialog(parent: QWidget | None, worker: BackgroundWorker, session: Session,
                       prefs: Preferences, reference: DeskReference) -> FormDialog:
    """An administrator's dialog for one technician's preferences (saved at once)."""
    zone = reference.zone

    def submit(values: dict, dialog: FormDialog) -> None:
        worker.submit(lambda: set_preferences(session, prefs.login,
                                              **preference_values(values, zone)),
                      dialog.succeeded, dialog.refused)

    dialog = FormDialog(parent, f"Preferences of {prefs.login}",
                        preference_fields(prefs, zone, reference.calendars,
                                          reference.categories),
                        submit, f"Working preferences of {prefs.login}; saved at once, "
                        "apart from the staged changes.", ok_text="Save preferences")
    dialog.setObjectName("preferences_dialog")
    return dialog
