"""Reading one mail message: who sent it, about what, its text and its attachments.

Pure standard library (``email`` with the modern ``policy.default``). Nothing in a
message, however malformed, raises: a header that cannot be parsed is read as raw
text, a part in an unknown or wrong charset is decoded by :func:`decode_text`.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from desk_app.core.file_names import safe_file_name
from desk_app.core.mail_ids import ticket_ids_in
from desk_app.core.mail_text import decode_text, html_to_text

_PARSER = BytesParser(policy=policy.default)
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
               "application/pdf": ".pdf", "text/plain": ".txt", "message/rfc822": ".eml",
               "text/html": ".html"}


@dataclass(frozen=True)
class Attachment:
    """A file carried by a message (an attachment or an inline image)."""

    name: str  # made safe: see :func:`safe_file_name`
    content_type: str
    data: bytes = field(repr=False)
    inline: bool = False


@dataclass(frozen=True)
class MailMessage:
    """What the desk reads from one message."""

    message_id: str  # with angle brackets; made from the content when the header is missing
    sender_name: str
    sender_address: str
    subject: str
    text: str
    date: datetime | None
    in_reply_to: str
    references: str
    recipients: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    automatic: str | None  # why this is an auto-reply or a bounce, else None


def parse_message(data: bytes) -> MailMessage:
    """Read a whole RFC 5322 message (the bytes of an .eml file or an IMAP fetch)."""
    message = _PARSER.parsebytes(data)
    name, address = _sender(message)
    body: list[Message] = []
    attachments: list[Attachment] = []
    _collect(message, body, attachments, top=True)
    return MailMessage(
        message_id=_message_id(message, data),
        sender_name=name,
        sender_address=address,
        subject=" ".join(_header(message, "Subject").split()),
        text=_body_text(body),
        date=_date(message),
        in_reply_to=_raw(message, "In-Reply-To"),
        references=_raw(message, "References"),
        recipients=_recipients(message),
        attachments=tuple(attachments),
        automatic=automatic_reason(message, address),
    )


def _raw(message: Message, name: str) -> str:
    """A header as written (no decoding: ids, dates, flags), whitespace folded, bytes
    that are not UTF-8 replaced."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            text = value if isinstance(value, str) else str(value)
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return " ".join(text.split())
    return ""


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the policy cannot parse: read it raw
        value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
    if value is None:
        return ""
    try:
        return str(value).strip()
    except Exception:
        return ""


def _sender(message: Message) -> tuple[str, str]:
    for header in ("From", "Sender", "Reply-To"):
        raw = _header(message, header)
        if not raw:
            continue
        name, address = parseaddr(raw)
        if "@" in address:
            return " ".join(name.split()), address.strip().lower()
    return "", ""


def _recipients(message: Message) -> tuple[str, ...]:
    values = [_raw(message, h) for h in ("Delivered-To", "To", "Cc")]
    return tuple(dict.fromkeys(a.strip().lower() for _, a in getaddresses(values) if "@" in a))


def _message_id(message: Message, data: bytes) -> str:
    value = _raw(message, "Message-ID").split()
    if value and len(value[0]) > 2:
        found = value[0]
        return found if found.startswith("<") else f"<{found.strip('<>')}>"
    return f"<sha256.{hashlib.sha256(data).hexdigest()}@no-message-id>"


def _date(message: Message) -> datetime | None:
    raw = _raw(message, "Date")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _content_type(part: Message) -> str:
    """``type/subtype`` in lower case (as ``get_content_type`` gives it, without parsing
    the header's parameters every time)."""
    kind = _raw(part, "Content-Type").split(";", 1)[0].strip().lower()
    if kind.count("/") != 1:
        return part.get_default_type()
    return kind


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except Exception:
        return None


def _collect(part: Message, body: list[Message], attachments: list[Attachment],
             top: bool = False) -> None:
    kind = _content_type(part)
    if kind == "message/rfc822" and not top:
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        data = inner.as_bytes() if isinstance(inner, Message) else b""
        subject = _header(inner, "Subject") if isinstance(inner, Message) else ""
        attachments.append(Attachment(safe_file_name(_filename(part) or f"{subject}.eml",
                                                     "forwarded.eml"), kind, data))
        return
    if part.is_multipart():
        children = [p for p in (part.get_payload() or []) if isinstance(p, Message)]
        if kind == "multipart/alternative":
            chosen = _preferred(children)
            for child in children:
                if child is chosen:
                    _collect(child, body, attachments)
                elif child.is_multipart():  # e.g. multipart/related: keep its images
                    _collect_files_only(child, attachments)
            return
        for child in children:
            _collect(child, body, attachments)
        return
    if kind.startswith("multipart/"):  # a container without parts (no or a broken
        if _has_text(part):            # boundary): its text is read, it is no file
            body.append(part)
        return
    disposition, name = _disposition(part), _filename(part)
    if kind in ("text/plain", "text/html") and disposition != "attachment" and not name:
        body.append(part)
        return
    _add_file(part, kind, disposition, name, attachments)


def _has_text(part: Message) -> bool:
    payload = part.get_payload()
    return isinstance(payload, str) and bool(payload.strip())


def _collect_files_only(part: Message, attachments: list[Attachment]) -> None:
    for child in part.walk():
        if child.is_multipart() or _content_type(child).startswith("multipart/"):
            continue
        kind = _content_type(child)
        if kind in ("text/plain", "text/html") and not _filename(child):
            continue
        _add_file(child, kind, _disposition(child), _filename(child), attachments)


def _add_file(part: Message, kind: str, disposition: str, name: str | None,
              attachments: list[Attachment]) -> None:
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:
        data = b""
    if not name:
        content_id = _raw(part, "Content-ID").strip("<>").split("@")[0]
        name = (content_id or "attachment") + _EXTENSIONS.get(kind, ".bin")
    attachments.append(Attachment(safe_file_name(name), kind, data,
                                  inline=disposition == "inline" or bool(
                                      _raw(part, "Content-ID"))))


def _preferred(children: list[Message]) -> Message | None:
    for wanted in ("text/plain", "text/html", "multipart/related", "multipart/mixed"):
        for child in children:
            if _content_type(child) == wanted:
                return child
    return children[-1] if children else None


def _body_text(parts: list[Message]) -> str:
    plain = [p for p in parts if _content_type(p) == "text/plain"
             or _content_type(p).startswith("multipart/")]  # a broken container's text
    chosen = plain or parts
    texts = []
    for part in chosen:
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:
            payload = b""
        try:
            charset = part.get_content_charset()
        except Exception:
            charset = None
        text = decode_text(payload, charset)
        if _content_type(part) == "text/html":
            text = html_to_text(text)
        texts.append(text.replace("\r\n", "\n").strip())
    return "\n\n".join(t for t in texts if t)


_AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon", "noreply-dmarc",
                      "bounce", "bounces")


def automatic_reason(message: Message, sender: str) -> str | None:
    """Why ``message`` is an automatic one (an out-of-office reply, a bounce, a list
    mail) that must never open a ticket nor be answered; None for a person's mail."""
    if ticket_ids_in(_raw(message, "Message-ID")):
        return "sent by this desk (its own mail came back)"
    auto_submitted = _raw(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _raw(message, "Precedence").lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond"):
        value = _raw(message, header)
        if value and value.lower() not in ("no", "false"):
            return f"{header}: {value}"
    local = sender.split("@", 1)[0].lower()
    if local in _AUTOMATIC_SENDERS or local.startswith(("mailer-daemon", "postmaster")):
        return f"sent by {sender}"
    if not sender and _raw(message, "Return-Path").strip() == "<>":
        return "null return path (a bounce)"
    kind = _content_type(message)
    if kind == "multipart/report":
        try:
            report = message.get_param("report-type") or ""
        except Exception:
            report = ""
        return f"delivery report ({report or 'multipart/report'})"
    return None

