"""Mail: the team's outgoing mail server, and one template per event with a preview.

The server settings and the templates are policy: staged with the other pages and
saved by "Save changes". The password and this desk's on/off switch are not policy;
they belong to this computer, so they are saved at once (the password to the keyring)
by their own buttons, and the connection test runs on its own thread."""

import copy
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.labels import human_label
from desk_app.core.mail_templates import (
    DEFAULT_PORTS,
    DEFAULT_TEMPLATES,
    EVENTS,
    PLACEHOLDERS,
    MailPolicy,
    SmtpSettings,
    Template,
    TemplateProblem,
    preview,
)
from desk_app.services.executor import SerialExecutor
from desk_app.services.session import Session
from desk_app.ui.admin.policy_page import PolicyPage, Problems, heading, note
from desk_app.ui.refusals import mark, refusal_text
from desk_app.ui.worker import BackgroundWorker

SECURITY_LABELS = {"starttls": "STARTTLS (port 587)", "tls": "TLS (port 465)",
                   "none": "None (a server on this computer only)"}
EVENT_HINTS = {
    "logged": "when a ticket is logged: its number and targets",
    "assigned": "when it is assigned to a group or a technician",
    "awaiting_user": "when it is put on hold awaiting the user",
    "resolved": "when it is resolved: the user confirms or says it is not fixed",
    "closed": "when it is closed: with the satisfaction question",
    "major_update": "each update of a major incident",
}
_TEXT_FIELDS = ("host", "login", "from_address", "from_name", "reply_to")


def _settings() -> Any:
    """The mail settings services, imported when first used (they load the keyring)."""
    from desk_app.services import mail_settings

    return mail_settings


class MailPage(PolicyPage):
    """The ``mail`` section. ``password_given(str)``, ``desk_sending(bool)`` and
    ``test_requested()`` ask the dialog for the things saved at once."""

    title = "Mail"
    owns = ("mail",)
    password_given = Signal(str)
    desk_sending = Signal(bool)
    test_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        outer.addLayout(top)
        server = QWidget()
        server_column = QVBoxLayout(server)
        server_column.setContentsMargins(0, 0, 0, 0)
        server_column.addWidget(heading("Outgoing mail server (the whole team)"))
        form = QFormLayout()
        server_column.addLayout(form)
        self.fields: dict[str, QLineEdit] = {}
        for name, hint in (
                ("host", "smtp.example.com"),
                ("login", "empty: the server needs no login"),
                ("from_address", "servicedesk@example.com"),
                ("from_name", "IT Service Desk"),
                ("reply_to", "the mailbox the desk reads replies from")):
            edit = QLineEdit()
            edit.setObjectName(f"mail_{name}")
            edit.setPlaceholderText(hint)
            edit.textEdited.connect(self._changed)
            edit.textEdited.connect(lambda _t, e=edit: mark(e, None))
            self.fields[name] = edit
        self.security = QComboBox()
        self.security.setObjectName("mail_security")
        for key, label in SECURITY_LABELS.items():
            self.security.addItem(label, key)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.port = QSpinBox()
        self.port.setObjectName("mail_port")
        self.port.setRange(1, 65535)
        self.port.valueChanged.connect(self._changed)
        form.addRow("Server", self.fields["host"])
        row = QHBoxLayout()
        row.addWidget(self.security, 1)
        row.addWidget(QLabel("Port"))
        row.addWidget(self.port)
        form.addRow("Security", row)
        for name, label in (("login", "Login"), ("from_address", "From address"),
                            ("from_name", "From name"), ("reply_to", "Reply-to")):
            form.addRow(label, self.fields[name])
        top.addWidget(server, 1)

        local = QWidget()
        local_column = QVBoxLayout(local)
        local_column.setContentsMargins(0, 0, 0, 0)
        local_column.addWidget(heading("This computer (saved at once)"))
        local_form = QFormLayout()
        local_column.addLayout(local_form)
        local_column.addStretch(1)
        top.addWidget(local, 1)
        self.password = QLineEdit()
        self.password.setObjectName("mail_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in this computer's keyring, never in a file")
        self.save_password = QPushButton("Save password")
        self.save_password.setObjectName("mail_save_password")
        self.save_password.clicked.connect(self._give_password)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.save_password)
        local_form.addRow("Password", row)
        self.sends = QCheckBox("This desk sends the mail it queues")
        self.sends.setObjectName("mail_desk_sends")
        self.sends.toggled.connect(self.desk_sending.emit)
        local_form.addRow("", self.sends)
        self.test = QPushButton("Test connection")
        self.test.setObjectName("mail_test")
        self.test.clicked.connect(self.test_requested.emit)
        self.test_result = QLabel()
        self.test_result.setObjectName("mail_test_result")
        self.test_result.setWordWrap(True)
        local_form.addRow("", self.test)
        local_form.addRow("", self.test_result)

        outer.addWidget(heading("Templates"))
        outer.addWidget(note("One mail per event to the ticket's reporter. Placeholders: "
                             + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                             + ". The subject always carries the ticket's number."))
        templates = QHBoxLayout()
        self.events = QListWidget()
        self.events.setObjectName("mail_events")
        self.events.setMaximumWidth(190)
        for event in EVENTS:
            self.events.addItem(human_label(event))
        self.events.currentRowChanged.connect(self._show_event)
        templates.addWidget(self.events)
        editor = QVBoxLayout()
        self.hint = QLabel()
        self.hint.setObjectName("mail_event_hint")
        self.enabled = QCheckBox("Send this mail")
        self.enabled.setObjectName("mail_enabled")
        self.enabled.toggled.connect(self._template_edited)
        self.subject = QLineEdit()
        self.subject.setObjectName("mail_subject")
        self.subject.textEdited.connect(self._template_edited)
        self.body = QPlainTextEdit()
        self.body.setObjectName("mail_body")
        self.body.setMinimumHeight(150)
        self.body.textChanged.connect(self._template_edited)
        self.reset = QPushButton("Use the built-in text")
        self.reset.setObjectName("mail_reset")
        self.reset.clicked.connect(self._reset_template)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("mail_preview")
        self.preview.setReadOnly(True)
        self.preview.setMinimumHeight(150)
        switch = QHBoxLayout()
        switch.addWidget(self.enabled)
        switch.addStretch(1)
        switch.addWidget(self.reset)
        editor.addWidget(self.hint)
        editor.addLayout(switch)
        editor.addWidget(QLabel("Subject"))
        editor.addWidget(self.subject)
        editor.addWidget(QLabel("Text"))
        editor.addWidget(self.body, 1)
        templates.addLayout(editor, 1)
        shown = QVBoxLayout()
        shown.addWidget(QLabel("Preview (a sample ticket)"))
        shown.addWidget(self.preview, 1)
        templates.addLayout(shown, 1)
        outer.addLayout(templates, 1)
        self._loaded: dict[str, Any] | None = None
        self._templates: dict[str, Template] = {}
        self._event = EVENTS[0]
        self._filling = False

    # --- loading and giving back -------------------------------------------------------

    def load(self, sections: dict[str, Any]) -> None:
        self._loaded = copy.deepcopy(sections.get("mail"))
        policy = MailPolicy.from_section(self._loaded)
        self._filling = True
        for name in _TEXT_FIELDS:
            self.fields[name].setText(getattr(policy.smtp, name))
        with QSignalBlocker(self.security), QSignalBlocker(self.port):
            self.security.setCurrentIndex(self.security.findData(policy.smtp.security))
            self.port.setValue(policy.smtp.port)
        self._templates = dict(policy.templates)
        self._filling = False
        self.events.setCurrentRow(0)
        self._show_event(0)

    def set_local(self, desk_sends: bool) -> None:
        """Show this computer's switch (read by the dialog, not part of the policy)."""
        with QSignalBlocker(self.sends):
            self.sends.setChecked(desk_sends)

    def smtp(self) -> SmtpSettings:
        """The server settings as edited."""
        return SmtpSettings(**{name: self.fields[name].text().strip() for name in _TEXT_FIELDS},
                            port=self.port.value(), security=self.security.currentData())

    def sections(self) -> dict[str, Any]:
        edited = MailPolicy(self.smtp(), dict(self._templates))
        if edited == MailPolicy.from_section(self._loaded):
            return {} if self._loaded is None else {"mail": copy.deepcopy(self._loaded)}
        templates = {}
        for event, template in self._templates.items():
            subject, body = DEFAULT_TEMPLATES[event]
            differs = {key: value for key, value, default in (
                ("enabled", template.enabled, True), ("subject", template.subject, subject),
                ("body", template.body, body)) if value != default}
            if differs:
                templates[event] = differs
        smtp = self.smtp()
        return {"mail": {"smtp": {name: getattr(smtp, name)
                                  for name in SmtpSettings.__dataclass_fields__},
                         "templates": templates}}

    # --- checks --------------------------------------------------------------------------

    def problems(self) -> Problems:
        try:
            self.smtp().check()
        except TemplateProblem as problem:
            return [(self._smtp_field(problem.field), problem.message)]
        for event, template in self._templates.items():
            try:
                template.check()
            except TemplateProblem as problem:
                self.events.setCurrentRow(EVENTS.index(event))
                return [(self.subject if problem.field.endswith("subject") else self.body,
                         f"{human_label(event)}: {problem.message}")]
        return []

    def field(self, path: str) -> QWidget | None:
        if path.startswith("mail.smtp"):
            return self._smtp_field(path.removeprefix("mail."))
        if path.startswith("mail.templates."):
            event = path.split(".")[2]
            if event in EVENTS:
                self.events.setCurrentRow(EVENTS.index(event))
            return self.subject if path.endswith("subject") else self.body
        return self.fields["host"] if path.startswith("mail") else None

    def _smtp_field(self, field: str) -> QWidget:
        name = field.removeprefix("smtp.")
        if name == "security":
            return self.security
        if name == "port":
            return self.port
        return self.fields.get(name, self.fields["host"])

    # --- the template editor -----------------------------------------------------------

    def _show_event(self, row: int) -> None:
        if not 0 <= row < len(EVENTS):
            return
        self._event = EVENTS[row]
        template = self._templates[self._event]
        self._filling = True
        self.hint.setText(f"Sent {EVENT_HINTS[self._event]}.")
        self.enabled.setChecked(template.enabled)
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self._filling = False
        self._show_preview()

    def _template_edited(self, *_args: object) -> None:
        if self._filling:
            return
        self._templates[self._event] = Template(self._event, self.enabled.isChecked(),
                                                self.subject.text(), self.body.toPlainText())
        mark(self.subject, None)
        mark(self.body, None)
        self._show_preview()
        self._changed()

    def _reset_template(self) -> None:
        subject, body = DEFAULT_TEMPLATES[self._event]
        self._templates[self._event] = Template(self._event, True, subject, body)
        self._show_event(EVENTS.index(self._event))
        self._changed()

    def _show_preview(self) -> None:
        try:
            subject, body = preview(self._templates[self._event])
        except TemplateProblem as problem:
            self.preview.setPlainText(f"Cannot be sent: {problem.message}")
            return
        state = "" if self._templates[self._event].enabled else "(not sent: switched off)\n"
        self.preview.setPlainText(f"{state}Subject: {subject}\n\n{body}")

    def _security_changed(self, _index: int) -> None:
        security = self.security.currentData()
        if self.port.value() in DEFAULT_PORTS.values():
            self.port.setValue(DEFAULT_PORTS[security])
        self._changed()

    def _give_password(self) -> None:
        if self.password.text():
            self.password_given.emit(self.password.text())

    # --- what is saved at once -----------------------------------------------------------

    def bind(self, worker: BackgroundWorker, session: Session, dialog: QWidget) -> None:
        """Save the password and this desk's switch through ``worker`` (the database's
        owner); run the connection test on a thread of its own, ended with ``dialog``."""
        self._network: BackgroundWorker | None = None

        def network() -> BackgroundWorker:
            if self._network is None:
                self._network = BackgroundWorker(SerialExecutor("desk-mail-test"), self)
                dialog.finished.connect(lambda _r: self._network.stop())
            return self._network

        def saved_password() -> None:
            self.password.clear()
            self.show_test_result("Password saved in this computer's keyring.", True)

        def give_password(secret: str) -> None:
            smtp = self.smtp()
            worker.submit(lambda: _settings().store_smtp_password(smtp, secret),
                          lambda _r: saved_password(),
                          lambda error: self.show_test_result(refusal_text(error), False))

        self.password_given.connect(give_password)
        self.desk_sending.connect(lambda on: worker.submit(
            lambda: _settings().set_desk_sending(on), None,
            lambda error: self.show_test_result(refusal_text(error), False)))
        worker.submit(lambda: _settings().mail_setup(session).desk_sends, self.set_local)

        def test() -> None:
            self.test.setEnabled(False)
            self.show_test_result("Connecting…", True)
            smtp = self.smtp()
            network().submit(lambda: _settings().check_settings(smtp),
                             lambda text: self._tested(text, True),
                             lambda error: self._tested(str(error), False))

        self.test_requested.connect(test)

    def _tested(self, text: str, ok: bool) -> None:
        self.test.setEnabled(True)
        self.show_test_result(text[:1].upper() + text[1:] + ("." if ok else ""), ok)

    def show_test_result(self, text: str, ok: bool) -> None:
        """Show how the connection test (or saving the password) went."""
        self.test_result.setText(text)
        mark(self.test_result, None if ok else text)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
