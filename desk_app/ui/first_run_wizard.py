"""The first run of a new desk: work locally or with the team database (tested before
going on, saying what is wrong when it fails), the technician profile, and demo tickets
to try the app with. Everything is saved at Finish, by one service call that checks all
of it first; a refusal names the field and keeps everything typed."""

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desk_app.services import first_run, team_sync
from desk_app.services.reference import DeskReference
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields
from desk_app.ui.worker import BackgroundWorker

WELCOME, TEAM, PROFILE, DEMO = range(4)


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class WelcomePage(QWizardPage):
    """Local only, or with the team database."""

    def __init__(self, team_name: str) -> None:
        super().__init__()
        self.setTitle("Welcome to desk-app")
        self.setSubTitle(f"A new desk was made for {team_name} on this computer.")
        layout = QVBoxLayout(self)
        layout.addWidget(_label("How will you work?"))
        self.local = QRadioButton("On this computer only")
        self.local.setObjectName("work_locally")
        self.local.setChecked(True)
        self.team = QRadioButton("With my team's database (PostgreSQL)")
        self.team.setObjectName("work_with_team")
        layout.addWidget(self.local)
        layout.addWidget(_label("Tickets stay on this computer. You can connect to a team "
                                "database later (Desk > Team database…)."))
        layout.addWidget(self.team)
        layout.addWidget(_label("Tickets sync with your colleagues whenever the server can "
                                "be reached; you keep working when it cannot. You need the "
                                "server, database and login your administrator gave you."))
        layout.addStretch(1)

    def nextId(self) -> int:
        return TEAM if self.team.isChecked() else PROFILE


class TeamPage(QWizardPage):
    """The team database, with a connection test that must pass before going on."""

    tested = Signal(object)  # RemoteCheck, or the refusal

    def __init__(self, worker: BackgroundWorker) -> None:
        super().__init__()
        self.setTitle("Team database")
        self.setSubTitle("Test the connection to go on. The password is kept in this "
                         "computer's keyring, never in a file.")
        self._worker = worker
        self.passed = False  # the current settings passed a connection test
        self.inputs: dict[str, QWidget] = {}
        form = QFormLayout(self)
        for name, text, default in (("host", "Server *", ""), ("port", "Port", "5432"),
                                    ("database", "Database *", "desk"),
                                    ("user", "Your login *", ""), ("password", "Password", "")):
            line = QLineEdit(default)
            line.setObjectName(name)
            line.textChanged.connect(self._changed)
            self.inputs[name] = line
            form.addRow(text, line)
        password = self.inputs["password"]
        assert isinstance(password, QLineEdit)
        password.setEchoMode(QLineEdit.EchoMode.Password)
        sslmode = QComboBox()
        sslmode.setObjectName("sslmode")
        for mode in team_sync.SSL_MODES:
            sslmode.addItem(mode, mode)
        sslmode.setCurrentIndex(sslmode.findData("prefer"))
        sslmode.currentIndexChanged.connect(self._changed)
        self.inputs["sslmode"] = sslmode
        form.addRow("Encryption (sslmode)", sslmode)
        self.test_button = QPushButton("&Test connection")
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test)
        form.addRow("", self.test_button)
        self.result = _label("")
        self.result.setObjectName("connection_result")
        form.addRow("", self.result)

    def values(self) -> dict[str, Any]:
        """The typed settings."""
        values: dict[str, Any] = {name: widget.text() for name, widget in self.inputs.items()
                                  if isinstance(widget, QLineEdit)}
        values["sslmode"] = self.inputs["sslmode"].currentData()  # type: ignore[attr-defined]
        return values

    def _changed(self, *_args: object) -> None:
        for widget in self.inputs.values():
            mark(widget, None)
        if self.passed:
            self.passed = False
            self.result.setText("Settings changed: test the connection again.")
            look.set_tone(self.result, None)
            self.completeChanged.emit()

    def test(self) -> None:
        """Try the typed settings on the worker; the result says what is wrong."""
        values = self.values()
        self.test_button.setEnabled(False)
        look.set_tone(self.result, None)
        self.result.setText(f"Connecting to {values['host'] or '?'}…")
        self._worker.submit(
            lambda: team_sync.try_connection(values["host"], values["port"],
                                             values["database"], values["user"],
                                             values["sslmode"], values["password"]),
            lambda check: self._tested(values, check), self._refused)

    def _tested(self, values: dict[str, Any], check: team_sync.RemoteCheck) -> None:
        self.test_button.setEnabled(True)
        good = check.reachable and not check.problem
        self.result.setText(("Connected. " if good else "Not connected: ") + check.describe())
        look.set_tone(self.result, "success" if good else "danger")
        self.passed = good and values == self.values()  # not retyped while testing
        self.completeChanged.emit()
        self.tested.emit(check)

    def _refused(self, error: Exception) -> None:
        self.test_button.setEnabled(True)
        self.result.setText(refusal_text(error))
        look.set_tone(self.result, "danger")
        for name in refused_fields(error):
            if name in self.inputs:
                mark(self.inputs[name], refusal_text(error))
        self.tested.emit(error)

    def isComplete(self) -> bool:
        return self.passed

    def nextId(self) -> int:
        return PROFILE


class ProfilePage(QWizardPage):
    """Who is working at this desk."""

    def __init__(self, reference: DeskReference) -> None:
        super().__init__()
        self.setTitle("Your technician profile")
        self.setSubTitle("As the desk's first technician you are its administrator.")
        form = QFormLayout(self)
        self.name = QLineEdit(reference.name)
        self.name.setObjectName("name")
        self.name.textChanged.connect(lambda *_a: self.completeChanged.emit())
        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.group = QComboBox()
        self.group.setObjectName("group")
        self.group.addItem("(none)", None)
        for name in reference.groups:
            self.group.addItem(name, name)
        if reference.group:
            self.group.setCurrentIndex(self.group.findData(reference.group))
        form.addRow("Name *", self.name)
        form.addRow("Email", self.email)
        form.addRow("Support group", self.group)
        self.inputs: dict[str, QWidget] = {"name": self.name, "email": self.email,
                                           "group": self.group}

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())

    def nextId(self) -> int:
        return DEMO


class DemoPage(QWizardPage):
    """Demo tickets to try the app (a local desk only), and the save at Finish."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Try it out")
        layout = QVBoxLayout(self)
        self.demo = QCheckBox(f"Add {first_run.DEMO_TICKETS} demo tickets to try desk-app with")
        self.demo.setObjectName("demo")
        layout.addWidget(self.demo)
        self.note = _label("They look like a desk at work today: a month of closed tickets "
                           "and open work in every queue (breaching, on hold, awaiting "
                           "confirmation, a major incident). Desk > Team database… offers "
                           "to remove them before you connect to a team.")
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setObjectName("demo_progress")
        self.progress.setRange(0, first_run.DEMO_TICKETS)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.error = error_label()
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        wizard = self.wizard()
        team = isinstance(wizard, FirstRunWizard) and wizard.welcome.team.isChecked()
        self.demo.setEnabled(not team)
        if team:
            self.demo.setChecked(False)
            self.note.setText("Demo tickets are only offered on a desk that works locally: "
                              "on the team database every colleague would get them.")

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    """``completed`` fires after everything was saved (and the demo tickets written)."""

    completed = Signal()

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker, session: Session,
                 reference: DeskReference) -> None:
        super().__init__(parent)
        self.setObjectName("first_run_wizard")
        self.setWindowTitle("Set up desk-app")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self._worker = worker
        self._session = session
        self.welcome = WelcomePage(reference.team_name)
        self.team = TeamPage(worker)
        self.profile = ProfilePage(reference)
        self.demo = DemoPage()
        for page_id, page in ((WELCOME, self.welcome), (TEAM, self.team),
                              (PROFILE, self.profile), (DEMO, self.demo)):
            self.setPage(page_id, page)
        self.setStartId(WELCOME)
        self.resize(620, 460)

    def choices(self) -> first_run.FirstRunChoices:
        """What was chosen on every page."""
        team = None
        if self.welcome.team.isChecked():
            values = self.team.values()
            team = first_run.TeamDatabaseForm(values["host"], values["port"],
                                              values["database"], values["user"],
                                              values["sslmode"], values["password"])
        return first_run.FirstRunChoices(
            self.profile.name.text(), self.profile.email.text(),
            self.profile.group.currentData(), team, self.demo.demo.isChecked())

    def accept(self) -> None:
        """Finish: save on the worker; the wizard closes when it went through."""
        choices, session = self.choices(), self._session
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.demo.error.hide()
        self._worker.submit(lambda: first_run.complete_first_run(session, choices),
                            lambda _settings: self._saved(choices), self._refused)

    def _saved(self, choices: first_run.FirstRunChoices) -> None:
        if not choices.demo:
            self._done()
            return
        session = self._session
        self.demo.progress.show()
        self._worker.submit_long(lambda progress: first_run.add_demo_tickets(session, progress),
                                 lambda _count: self._done(), self._refused,
                                 self.demo.progress.setValue)

    def _done(self) -> None:
        self.completed.emit()
        super().accept()

    def _refused(self, error: Exception) -> None:
        """Say why on the last page and mark the field on its page (Back to fix it)."""
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.demo.progress.hide()
        self.demo.error.setText(refusal_text(error) + "  (Use Back to change it.)")
        self.demo.error.show()
        for name in refused_fields(error):
            for page in (self.profile, self.team):
                if name in page.inputs:
                    mark(page.inputs[name], refusal_text(error))
