"""The mail the desk sends to reporters: events, templates, placeholders, SMTP settings.

The policy's ``mail`` section holds the team-wide part (SMTP server, sender, reply-to,
one template per event with its on/off switch). A policy without the section, or a
section without an event's template, uses the built-in template below, so every desk
can send from its first run once a server is set.

A template is text with ``{placeholder}`` fields; only the names in :data:`PLACEHOLDERS`
are allowed (``{{`` and ``}}`` write a brace), and a template that names another one is
refused, naming the template and the placeholder.
"""

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

EVENTS = ("logged", "assigned", "awaiting_user", "resolved", "closed", "major_update")
SECURITIES = ("starttls", "tls", "none")
# "none" (no encryption) is allowed only for a server on this computer
LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}

PLACEHOLDERS: Mapping[str, str] = {
    "number": "the ticket number, e.g. INC-000123",
    "summary": "the ticket's summary",
    "priority": "P1..P4",
    "status": "the ticket's status",
    "reporter": "who reported it",
    "response_due": "when the desk answers at the latest",
    "resolution_due": "when it should be resolved at the latest",
    "assignee": "the technician working on it (or the group)",
    "group": "the support group working on it",
    "resolution_notes": "what was done to resolve it",
    "reply_instructions": "how the reporter answers this mail (confirm, rate...)",
    "update": "the text of a major-incident update",
    "team": "the team's name",
}

# events whose reply is read by the desk: the template must say how to answer
NEEDS_INSTRUCTIONS = ("resolved", "closed")

REPLY_INSTRUCTIONS: Mapping[str, str] = {
    "resolved": ('Please reply to this message: write "yes" on the first line to confirm '
                 "the problem is solved; any other reply tells us it is not fixed and "
                 "reopens the ticket."),
    "closed": ("How satisfied are you with how this was handled? Reply with a number "
               "1-5 on the first line (1 = very unhappy, 5 = very happy)."),
}
GENERAL_INSTRUCTIONS = ("To add information, reply to this message and keep {tag} in "
                        "the subject.")

DEFAULT_TEMPLATES: Mapping[str, tuple[str, str]] = {
    "logged": (
        "We have logged your request: {summary}",
        "Hello {reporter},\n\nyour request is logged as {number} ({priority}).\n"
        "We will respond by {response_due} and aim to resolve it by {resolution_due}.\n\n"
        "{reply_instructions}\n\n{team}"),
    "assigned": (
        "Your request is being handled: {summary}",
        "Hello {reporter},\n\n{number} is now with {assignee}.\n\n{reply_instructions}\n\n"
        "{team}"),
    "awaiting_user": (
        "We need your reply: {summary}",
        "Hello {reporter},\n\nwe need information from you to continue with {number}; "
        "the clock is paused until you answer.\n\n{reply_instructions}\n\n{team}"),
    "resolved": (
        "Resolved, please confirm: {summary}",
        "Hello {reporter},\n\nwe believe {number} is resolved:\n\n{resolution_notes}\n\n"
        "{reply_instructions}\n\n{team}"),
    "closed": (
        "Closed: {summary}",
        "Hello {reporter},\n\n{number} is now closed.\n\n{reply_instructions}\n\n{team}"),
    "major_update": (
        "Major incident update: {summary}",
        "Hello {reporter},\n\nan update on {number}, which affects you:\n\n{update}\n\n"
        "{reply_instructions}\n\n{team}"),
}


# what the administration's preview fills the placeholders with
SAMPLE_VALUES: Mapping[str, str] = {
    "number": "INC-000123", "summary": "VPN drops every few minutes", "priority": "P2",
    "status": "Resolved", "reporter": "Bob Smith",
    "response_due": "Mon 23 Nov 2026 10:00", "resolution_due": "Mon 23 Nov 2026 17:00",
    "assignee": "Kim Lee", "group": "Network Support",
    "resolution_notes": "Replaced the VPN client's expired certificate.",
    "update": "Failover to the second gateway is done; we expect full service by 11:00.",
    "team": "IT Service Desk",
}


def preview(template: "Template") -> tuple[str, str]:
    """The template filled with :data:`SAMPLE_VALUES` (subject, body); refuses as
    :meth:`Template.check` does."""
    template.check()
    values = dict(SAMPLE_VALUES, reply_instructions=reply_instructions(template.event))
    return template.render(values, SAMPLE_VALUES["number"])


class TemplateProblem(ValueError):
    """A template is refused; ``field`` names it (``templates.resolved.body``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def placeholders_in(text: str, field: str) -> list[str]:
    """The placeholder names ``text`` uses; refuses anything but plain known names."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        raise TemplateProblem(field, f"{error} (write {{{{ and }}}} for a brace)") from None
    names = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") \
                + (f":{spec}" if spec else "") + "}"
            raise TemplateProblem(field, f"unknown placeholder {shown}; known: "
                                  + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        names.append(name)
    return names


@dataclass(frozen=True)
class Template:
    """One event's mail: whether it is sent, its subject and its body."""

    event: str
    enabled: bool
    subject: str
    body: str

    def check(self) -> None:
        """Refuse unknown placeholders, and a template whose reply is read by the desk
        but which does not tell the user how to answer."""
        placeholders_in(self.subject, f"templates.{self.event}.subject")
        used = placeholders_in(self.body, f"templates.{self.event}.body")
        if self.event in NEEDS_INSTRUCTIONS and "reply_instructions" not in used:
            raise TemplateProblem(f"templates.{self.event}.body",
                                  "must contain {reply_instructions}: the reporter's reply "
                                  "is read by the desk, so the mail must say how to answer")

    def render(self, values: Mapping[str, str], number: str) -> tuple[str, str]:
        """(subject, body) with the placeholders filled; the subject always carries the
        ticket's tag (``[INC-000123]``) so replies find the ticket."""
        filled = {name: values.get(name, "") for name in PLACEHOLDERS}
        tag = f"[{number}]"
        filled["reply_instructions"] = filled["reply_instructions"].replace("{tag}", tag)
        subject = " ".join(self.subject.format_map(filled).split())
        if tag not in subject:
            subject = f"{tag} {subject}"
        return subject, self.body.format_map(filled)


def reply_instructions(event: str) -> str:
    """What the mail of ``event`` tells the reporter about answering."""
    return REPLY_INSTRUCTIONS.get(event, GENERAL_INSTRUCTIONS)


@dataclass(frozen=True)
class SmtpSettings:
    """The team's outgoing mail server and sender (the password is not here: it is in
    each desk's keyring)."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    login: str = ""
    from_address: str = ""
    from_name: str = ""
    reply_to: str = ""

    @property
    def configured(self) -> bool:
        """True once there is a server and a sender to send with."""
        return bool(self.host and self.from_address)

    def check(self) -> None:
        """Refuse an unknown security and plain text to another computer."""
        if self.security not in SECURITIES:
            raise TemplateProblem("smtp.security", f"must be one of {', '.join(SECURITIES)}, "
                                  f"not {self.security!r}")
        if self.security == "none" and self.host and self.host not in LOCAL_HOSTS:
            raise TemplateProblem("smtp.security", "none (no encryption) is allowed only for "
                                  "a server on this computer (127.0.0.1); use starttls or tls")
        if not 0 < self.port < 65536:
            raise TemplateProblem("smtp.port", f"{self.port} is not a port number (1-65535)")
        for name in ("from_address", "reply_to"):
            value = getattr(self, name)
            if value and not looks_like_address(value):
                raise TemplateProblem(f"smtp.{name}", f"{value!r} is not a mail address")


@dataclass(frozen=True)
class MailPolicy:
    """The ``mail`` section of the policy, with the built-in templates filled in."""

    smtp: SmtpSettings
    templates: Mapping[str, Template]

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "MailPolicy":
        """Read a stored ``mail`` section (None or partial: the defaults fill in)."""
        section = section or {}
        smtp = SmtpSettings(**{key: value for key, value in (section.get("smtp") or {}).items()
                               if key in SmtpSettings.__dataclass_fields__})
        stored = section.get("templates") or {}
        templates = {}
        for event in EVENTS:
            subject, body = DEFAULT_TEMPLATES[event]
            given = stored.get(event) or {}
            templates[event] = Template(event, bool(given.get("enabled", True)),
                                        str(given.get("subject", subject)),
                                        str(given.get("body", body)))
        return cls(smtp, templates)

    def check(self) -> None:
        """Refuse the first bad setting or template (see their ``check``)."""
        self.smtp.check()
        for template in self.templates.values():
            template.check()


def looks_like_address(text: str) -> bool:
    """A plain ``local@domain`` mail address (no display name, no spaces)."""
    local, at, domain = text.strip().rpartition("@")
    return bool(at and local and "." in domain and not any(c.isspace() or c in "<>,;\""
                                                           for c in text.strip()))
