"""The policy editor pages of the administration dialog, in tab order."""

from desk_app.ui.admin.assignment_page import AssignmentPage
from desk_app.ui.admin.attachments_page import AttachmentsPage
from desk_app.ui.admin.calendar_page import CalendarsPage
from desk_app.ui.admin.category_pages import CategoriesPage, ChecklistsPage
from desk_app.ui.admin.escalation_page import EscalationPage
from desk_app.ui.admin.kpi_targets_page import KpiTargetsPage
from desk_app.ui.admin.lifecycle_page import LifecyclePage
from desk_app.ui.admin.mail_page import MailPage
from desk_app.ui.admin.major_page import MajorIncidentsPage
from desk_app.ui.admin.policy_page import PolicyPage
from desk_app.ui.admin.priority_pages import PriorityMatrixPage, SlaPage
from desk_app.ui.admin.report_page import WeeklyReportPage
from desk_app.ui.admin.watch_page import WatchRulesPage

POLICY_PAGES: tuple[type[PolicyPage], ...] = (
    PriorityMatrixPage, SlaPage, CalendarsPage, CategoriesPage, ChecklistsPage, EscalationPage,
    LifecyclePage, AttachmentsPage, MailPage, AssignmentPage,
    WatchRulesPage, KpiTargetsPage, MajorIncidentsPage, WeeklyReportPage)
# WatchRulesPage after EscalationPage: it merges into it; MajorIncidentsPage after it too:
# it edits the default L3 group through the Escalation page's field
