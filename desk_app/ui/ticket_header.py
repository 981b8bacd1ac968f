"""The ticket's header card: the summary first and large, priority and status as tinted
chips, the number and facts muted, who has it, the SLA bars, and a banner for a major
incident."""

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desk_app.core.labels import human_label
from desk_app.ui import look
from desk_app.ui.avatars import avatar_pixmap
from desk_app.ui.palette import SATISFACTION_TONE, STATUS_TONE, tone
from desk_app.ui.sla_bar import SlaBar

AVATAR_SIZE = 22


def status_text(data: dict[str, Any]) -> str:
    """``On hold · Awaiting user``, ``Resolved · awaiting the user``, ``In progress``."""
    text = human_label(data["status"])
    if data["hold_reason"]:
        text += f" · {human_label(data['hold_reason'])}"
    elif data["status"] == "resolved":
        text += " · " + {"confirmed": "user confirmed", "rejected": "user rejected"}.get(
            data.get("confirmation") or "", "awaiting the user")
    return text


def satisfaction_text(answer: dict[str, Any] | None) -> str:
    """``★★★★☆ 4/5 — comment · by mail, 24 Nov 2026 08:30`` (plain text), or ""."""
    if not answer:
        return ""
    score = answer["score"]
    comment = f" — {answer['comment']}" if answer.get("comment") else ""
    source = "by mail" if answer.get("source") == "mail" else "told to a technician"
    when = datetime.fromisoformat(answer["at"]).strftime("%d %b %Y %H:%M") \
        if answer.get("at") else ""
    return (f"{'★' * score}{'☆' * (5 - score)} {score}/5{comment} · {source}"
            + (f", {when}" if when else ""))


class TicketHeader(QFrame):
    """Filled by ``show_ticket``; ``actions`` (the action row) is laid out in it."""

    def __init__(self, actions: QWidget) -> None:
        super().__init__()
        self.setObjectName("ticket_header")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        look.set_card(self)  # restyled with the theme (look.restyle_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        self.banner = QLabel()
        self.banner.setObjectName("major_banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.summary = QLabel()
        self.summary.setObjectName("ticket_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # typed by reporters
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(font.Weight.DemiBold)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        chips = self.chips = QHBoxLayout()
        chips.setSpacing(6)
        self.priority = QLabel()
        self.priority.setObjectName("priority_chip")
        self.status = QLabel()
        self.status.setObjectName("status_chip")
        self.title = QLabel()  # number, type, category: muted
        self.title.setObjectName("ticket_title")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = Qt.AlignmentFlag.AlignTop  # a wrapped title does not stretch the chips
        chips.addWidget(self.priority, 0, top)
        chips.addWidget(self.status, 0, top)
        chips.addWidget(self.title, 1)
        layout.addLayout(chips)
        people = self.people = QHBoxLayout()
        people.setSpacing(6)
        self.avatar = QLabel()
        self.avatar.setObjectName("assignee_avatar")
        self.avatar.setFixedSize(AVATAR_SIZE, AVATAR_SIZE)
        self.assignee = QLabel()
        self.assignee.setObjectName("assignee")
        self.assignee.setWordWrap(True)
        people.addWidget(self.avatar)
        people.addWidget(self.assignee, 1)
        people.addWidget(actions, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(people)
        self.satisfaction = QLabel()
        self.satisfaction.setObjectName("satisfaction")
        self.satisfaction.setWordWrap(True)
        self.satisfaction.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.satisfaction.hide()
        layout.addWidget(self.satisfaction)
        self.response = SlaBar("Response")
        self.resolution = SlaBar("Resolution")
        self.clocks = QGridLayout()
        self.clocks.setHorizontalSpacing(24)
        self.clocks.setVerticalSpacing(4)
        self._side_by_side: bool | None = None
        self._arrange_clocks(False)
        layout.addLayout(self.clocks)

    def _arrange_clocks(self, side_by_side: bool) -> None:
        """The two SLA clocks side by side on a wide pane, one over the other on a
        narrow one (a short window keeps its lines for the timeline)."""
        if side_by_side == self._side_by_side:
            return
        self._side_by_side = side_by_side
        self.clocks.removeWidget(self.response)
        self.clocks.removeWidget(self.resolution)
        self.clocks.addWidget(self.response, 0, 0)
        self.clocks.addWidget(self.resolution, 0 if side_by_side else 1,
                              1 if side_by_side else 0)
        self.clocks.setColumnStretch(1, 1 if side_by_side else 0)

    def _narrowest(self) -> int:
        """The card's minimum width with the clocks one over the other (its minimum
        whichever way they are arranged: side by side is only chosen when it fits)."""
        margins = self.layout().contentsMargins()
        rows = (self.chips.minimumSize().width(), self.people.minimumSize().width(),
                self.response.minimumSizeHint().width(),
                self.resolution.minimumSizeHint().width())
        return max(rows) + margins.left() + margins.right() + 2

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        clock = max(self.response.minimumSizeHint().width(),
                    self.resolution.minimumSizeHint().width())
        self._arrange_clocks(self.width() >= 2 * clock + 24 + self._narrowest() // 4)

    def show_ticket(self, data: dict[str, Any]) -> None:
        """Fill the card from a ticket screen."""
        people = data.get("people", {})
        muted = tone("muted").text
        if data["major"]:
            self.banner.setText("<b>Major incident</b> — the separate, faster procedure "
                                "applies: specialists, a bridge, updates on a fixed rhythm.")
            look.set_banner(self.banner, "danger")
        self.banner.setVisible(bool(data["major"]))
        self.summary.setText(data["summary"])
        self.priority.setText(data["priority"])
        look.set_chip(self.priority, data["priority"])
        self.priority.setToolTip(f"Priority {data['priority']}: impact "
                                 f"{human_label(data['impact'])}, urgency "
                                 f"{human_label(data['urgency'])}")
        self.status.setText(status_text(data))
        look.set_chip(self.status, STATUS_TONE.get(data["status"], "muted"))
        category = " / ".join(part for part in (data["category"], data["subcategory"]) if part)
        facts = [f"<b>{escape(data['number'])}</b>", human_label(data["type"]),
                 escape(category) or "not categorised",
                 f"impact {human_label(data['impact']).lower()}, "
                 f"urgency {human_label(data['urgency']).lower()}"]
        self.title.setText(f"<span style='color:{muted}'>" + " · ".join(facts) + "</span>")
        login = data["assignee"]
        name = people.get(login, login) if login else None
        group = escape(f"{data['group']} ({data['support_level']})" if data["group"] else
                       data["support_level"])
        if name:
            self.avatar.setPixmap(avatar_pixmap(name, AVATAR_SIZE))
            self.assignee.setText(f"<b>{escape(name)}</b> "
                                  f"<span style='color:{muted}'>· {group}</span>")
        else:
            self.avatar.clear()
            self.assignee.setText(f"<span style='color:{muted}'>Unassigned · {group}</span>")
        self.response.show_clock(data["sla"]["response"])
        self.resolution.show_clock(data["sla"]["resolution"])
        self._show_satisfaction(data.get("satisfaction"))
        self.setMinimumWidth(self._narrowest())

    def _show_satisfaction(self, answer: dict[str, Any] | None) -> None:
        """The user's answer under the people line: stars in the score's tone."""
        self.satisfaction.setVisible(bool(answer))
        if not answer:
            return
        text = escape(satisfaction_text(answer))
        stars, _, rest = text.partition(" ")
        colour = tone(SATISFACTION_TONE.get(answer["score"], "muted")).text
        muted = tone("muted").text
        self.satisfaction.setText(f"<span style='color:{muted}'>Satisfaction</span> "
                                  f"<span style='color:{colour}'>{stars}</span> {rest}")
        self.satisfaction.setToolTip("The user's answer: 4 or 5 of 5 counts as satisfied")

    def tick(self) -> None:
        """Redraw the SLA readings (every second)."""
        self.response.tick()
        self.resolution.tick()
