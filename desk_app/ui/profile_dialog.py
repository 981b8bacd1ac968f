"""The technician's own profile, from Desk > My profile (the first-run wizard asks on a
new desk)."""

from PySide6.QtWidgets import QWidget

from desk_app.services.profile import update_profile
from desk_app.services.reference import DeskReference
from desk_app.services.session import Session
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.worker import BackgroundWorker


def profile_dialog(parent: QWidget | None, worker: BackgroundWorker, session: Session,
                   reference: DeskReference, first_run: bool) -> FormDialog:
    """A dialog for name, email, support group and role; saved in one activity."""

    def submit(values: dict, dialog: FormDialog) -> None:
        worker.submit(lambda: update_profile(session, values["name"], values["email"],
                                             values["group"], values["role"]),
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
    ], submit, intro, ok_text="Save profile")
    dialog.setObjectName("profile_dialog")
    return dialog
