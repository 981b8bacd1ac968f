"""Writes servicenow_list.xlsx from servicenow_list.csv as ServiceNow's Excel export
lays it out: field labels as headers, display values, dates as date cells.

Run from the repository: ``python tests/data/make_servicenow_xlsx.py``."""

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
LABELS = {"number": "Number", "short_description": "Short description",
          "description": "Description", "state": "State", "priority": "Priority",
          "impact": "Impact", "urgency": "Urgency", "category": "Category",
          "subcategory": "Subcategory", "assignment_group": "Assignment group",
          "assigned_to": "Assigned to", "caller_id": "Caller", "opened_by": "Opened by",
          "opened_at": "Opened", "resolved_at": "Resolved", "resolved_by": "Resolved by",
          "closed_at": "Closed", "close_code": "Resolution code",
          "close_notes": "Resolution notes", "sys_updated_on": "Updated",
          "sys_updated_by": "Updated by", "cmdb_ci": "Configuration item",
          "business_service": "Service", "contact_type": "Channel",
          "hold_reason": "On hold reason", "reopen_count": "Reopen count",
          "reassignment_count": "Reassignment count", "problem_id": "Problem",
          "location": "Location", "work_notes": "Work notes",
          "comments": "Additional comments", "u_vip_caller": "VIP caller"}
DATES = {"opened_at", "resolved_at", "closed_at", "sys_updated_on"}
COUNTS = {"reopen_count", "reassignment_count"}


def write(source: Path, target: Path) -> None:
    """``source`` (a list export as CSV) as an Excel list export at ``target``."""
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = list(reader)
    book = Workbook()
    sheet = book.active
    sheet.title = "Page 1"
    sheet.append([LABELS[c] for c in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = row[column]
            if column in DATES and value:
                cells.append(datetime.strptime(value, "%Y-%m-%d %H:%M:%S"))
            elif column in COUNTS and value:
                cells.append(int(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    book.save(target)


if __name__ == "__main__":
    write(HERE / "servicenow_list.csv", HERE / "servicenow_list.xlsx")
