"""Where this desk's mail goes out: the team's SMTP settings (policy), the SMTP password
(this computer's keyring, like the team database's), and this desk's on/off switch.

The password is never stored in the database or the policy. It is read from the OS
keyring, else from the DESK_APP_SMTP_PASSWORD environment variable (the keyring-less
fallback, as PGPASSWORD is for the team database); a machine without a usable keyring
refuses to store one and says so.
"""

import os
import smtplib
import ssl
from dataclasses import asdict, dataclass, replace

import keyring
import keyring.errors

from desk_app.core.errors import Refused
from desk_app.core.mail_templates import DEFAULT_PORTS, SmtpSettings
from desk_app.core.permissions import Permission
from desk_app.services.admin import change_policy
from desk_app.services.mail_out import SENDING_META, desk_sends_mail, mail_policy
from desk_app.services.session import Session, activity
from desk_app.storage.database import database
from desk_app.storage.meta import set_meta
from desk_app.sync.local import LocalRunner, run_here

KEYRING_SERVICE = "desk-app"  # the service the team database's password is kept under too
PASSWORD_VARIABLE = "DESK_APP_SMTP_PASSWORD"
TIMEOUT_S = 15
SMTP_FIELDS = tuple(SmtpSettings.__dataclass_fields__)


class MailServerProblem(Exception):
    """The mail server could not be reached or refused us; the message says why, for
    people (the mail stays queued)."""


def keyring_user(smtp: SmtpSettings) -> str:
    """The keyring entry of an SMTP login: one password per login and server."""
    return f"smtp:{smtp.login}@{smtp.host}:{smtp.port}"


def store_smtp_password(smtp: SmtpSettings, password: str) -> None:
    """Keep the SMTP password in the OS keyring; refuses clearly when there is none."""
    if not smtp.login:
        raise Refused("password", "set a login first (a password belongs to a login)")
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(smtp), password)
    except keyring.errors.KeyringError as error:
        raise Refused("password", f"this machine has no usable keyring ({error}); leave "
                      f"the password out and put it in {PASSWORD_VARIABLE} instead") from None


def smtp_password(smtp: SmtpSettings) -> str | None:
    """The SMTP password: the keyring's, else DESK_APP_SMTP_PASSWORD, else None."""
    try:
        stored = keyring.get_password(KEYRING_SERVICE, keyring_user(smtp))
    except keyring.errors.KeyringError:
        stored = None
    return stored or os.environ.get(PASSWORD_VARIABLE) or None


def password_source(smtp: SmtpSettings) -> str:
    """Where the password comes from, for people: keyring, environment, or none."""
    try:
        if keyring.get_password(KEYRING_SERVICE, keyring_user(smtp)):
            return "the keyring"
    except keyring.errors.KeyringError:
        pass
    return PASSWORD_VARIABLE if os.environ.get(PASSWORD_VARIABLE) else "none"


@dataclass(frozen=True)
class MailSetup:
    """What ``mail smtp show`` and the Mail page show."""

    smtp: SmtpSettings
    password: str  # where it comes from, never the password
    desk_sends: bool

    def lines(self) -> list[str]:
        """The settings one per line, as people read them."""
        values = asdict(self.smtp)
        return [f"{name}: {values[name] or '-'}" for name in SMTP_FIELDS] + [
            f"password: {self.password}",
            f"this desk sends mail: {'yes' if self.desk_sends else 'no'}"]


def mail_setup(session: Session) -> MailSetup:
    """The team's SMTP settings, where the password comes from, this desk's switch."""
    smtp = mail_policy(session).smtp
    return MailSetup(smtp, password_source(smtp), desk_sends_mail())


@activity(Permission.CHANGE_POLICY)
def set_smtp(session: Session, changes: dict[str, object],
             password: str | None = None) -> SmtpSettings:
    """Change the team's SMTP settings (policy, administrators only) and, last, keep
    ``password`` in the keyring: a refusal by any step (a bad setting, no keyring)
    changes nothing."""
    unknown = [name for name in changes if name not in SMTP_FIELDS]
    if unknown:
        raise Refused(unknown[0], "is not an SMTP setting; settings: " + ", ".join(SMTP_FIELDS))
    section = dict(session.policy.sections.get("mail") or {})
    smtp = {**(section.get("smtp") or {}), **changes}
    if "security" in changes and "port" not in changes and "port" not in (section.get("smtp")
                                                                           or {}):
        smtp["port"] = DEFAULT_PORTS.get(str(changes["security"]), 587)
    change_policy(session, {"mail": {**section, "smtp": smtp}})
    settled = replace(SmtpSettings(), **{k: v for k, v in smtp.items() if k in SMTP_FIELDS})
    if password is not None:
        store_smtp_password(settled, password)
    return settled


def set_desk_sending(on: bool) -> None:
    """Turn this desk's sending on or off (local: each desk decides for itself)."""
    with database.atomic():
        set_meta(SENDING_META, "on" if on else "off")


def open_connection(smtp: SmtpSettings, password: str | None,
                    context: ssl.SSLContext | None = None) -> smtplib.SMTP:
    """A logged-in connection to the mail server, or :class:`MailServerProblem` saying
    what went wrong (unreachable, no STARTTLS, certificate, wrong password).
    ``context`` is the TLS trust to use (the system's by default; tests pass their own)."""
    if not smtp.configured:
        raise MailServerProblem("no mail server is set: desk-app mail smtp set --host HOST "
                                "--from ADDRESS (or Administration > Mail)")
    if smtp.login and not password:
        raise MailServerProblem(f"no password for {smtp.login}: give one with desk-app mail "
                                f"smtp set --password-stdin, or set {PASSWORD_VARIABLE}")
    context = context or ssl.create_default_context()
    where = f"{smtp.host}:{smtp.port}"
    connection = None
    try:
        if smtp.security == "tls":
            connection = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_S,
                                          context=context)
        else:
            connection = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S)
            if smtp.security == "starttls":
                connection.starttls(context=context)
        if smtp.login:
            connection.login(smtp.login, password or "")
        return connection
    except smtplib.SMTPAuthenticationError as error:
        problem = (f"the mail server {where} refused the login {smtp.login} (wrong "
                   f"password?): {error.smtp_code} {_text(error.smtp_error)}")
    except smtplib.SMTPNotSupportedError as error:
        problem = f"the mail server {where} does not offer it: {error}"
    except ssl.SSLError as error:
        problem = f"the mail server {where} failed the TLS check: {error.reason or error}"
    except (OSError, smtplib.SMTPException) as error:
        problem = f"the mail server {where} is unreachable: {error or type(error).__name__}"
    if connection is not None:
        _close(connection)
    raise MailServerProblem(problem)


def check_smtp(session: Session, context: ssl.SSLContext | None = None,
               local: LocalRunner = run_here) -> str:
    """Connect and log in to the team's mail server (nothing is sent); returns what
    worked, or raises :class:`MailServerProblem`. The settings are read through
    ``local`` (the database's owner in the desktop client)."""
    return check_settings(local(lambda: mail_policy(session).smtp), context)


def check_settings(smtp: SmtpSettings, context: ssl.SSLContext | None = None) -> str:
    """Connect and log in with ``smtp`` (settings not saved yet, in the Mail page) and
    the password the keyring or DESK_APP_SMTP_PASSWORD holds; nothing is sent."""
    connection = open_connection(smtp, smtp_password(smtp), context)
    _close(connection)
    login = f", logged in as {smtp.login}" if smtp.login else ""
    return f"connected to {smtp.host}:{smtp.port} ({smtp.security}){login}"


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
