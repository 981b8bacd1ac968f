"""The KPI targets of the policy's ``kpi_targets`` section, with the process's defaults.

SLA compliance >= 90 %, first contact resolution >= 70 %, recurrence <= 10 % within
30 days, satisfaction >= 80 %, and a mean time to resolve per priority. Administrators
change them through the policy (validated by :mod:`desk_app.core.policy_schema`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desk_app.core.enums import PRIORITIES

DEFAULT_MTTR_HOURS: dict[str, float] = {"P1": 4.0, "P2": 8.0, "P3": 24.0, "P4": 72.0}
DEFAULTS: dict[str, Any] = {
    "sla_compliance_percent": 90.0,
    "first_contact_resolution_percent": 70.0,
    "recurrence_percent": 10.0,
    "satisfaction_percent": 80.0,
    "mttr_hours": DEFAULT_MTTR_HOURS,
}
RECURRENCE_DAYS = 30


@dataclass(frozen=True)
class KpiTargets:
    """The targets the dashboard's tiles are rated against (None: no target)."""

    sla_compliance_percent: float | None = 90.0
    first_contact_resolution_percent: float | None = 70.0
    recurrence_percent: float | None = 10.0
    satisfaction_percent: float | None = 80.0
    mttr_hours: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_MTTR_HOURS))

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "KpiTargets":
        """The targets of a stored (already validated) ``kpi_targets`` section; keys it
        leaves out take the defaults."""
        values = {**DEFAULTS, **(section or {})}
        mttr = {**DEFAULT_MTTR_HOURS, **(section or {}).get("mttr_hours", {})}
        return cls(
            sla_compliance_percent=_number(values["sla_compliance_percent"]),
            first_contact_resolution_percent=_number(
                values["first_contact_resolution_percent"]),
            recurrence_percent=_number(values["recurrence_percent"]),
            satisfaction_percent=_number(values["satisfaction_percent"]),
            mttr_hours={p: float(mttr[p]) for p in PRIORITIES if mttr.get(p) is not None},
        )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
