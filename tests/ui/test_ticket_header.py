"""The ticket's header card shows the summary people typed as text, never as markup."""

from PySide6.QtWidgets import QWidget

from desk_app.services.intake import log_ticket
from desk_app.services.ticket_actions import ticket_screen
from desk_app.ui.ticket_header import TicketHeader
from tests.conftest import new_ticket


def test_a_summary_and_category_with_markup_are_shown_as_typed(qtbot, session):
    ticket = log_ticket(session, new_ticket(summary="<b>Printer</b> <img src=x> & co"))
    header = TicketHeader(QWidget())
    qtbot.addWidget(header)
    header.show_ticket(ticket_screen(session, ticket.id))
    assert header.summary.text() == "<b>Printer</b> <img src=x> & co"
    assert header.summary.textFormat().name == "PlainText"
