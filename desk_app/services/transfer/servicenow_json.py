"""The JSON of ServiceNow's Table API (``GET /api/now/table/incident``):
``{"result": [{field: value}, ...]}``.

A value is a raw value (``"state": "2"``, the default), a display value (``"In
Progress"``, with ``sysparm_display_value=true``), a reference (``{"link": ...,
"value": sys_id}``) or both (``{"display_value": ..., "value": ...}`` with
``sysparm_display_value=all``). Of a pair the desk reads the raw value of dates (UTC)
and choices (codes), and the display value of everything else (names, not sys_ids).
Raw dates are UTC, as the API writes them; display dates are in the exporting user's
zone (``--time-zone``)."""

import json
from typing import Any

from desk_app.core.errors import InvalidValue, Problem
from desk_app.core.numbers import normalised_number
from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord
from desk_app.services.transfer.servicenow_fields import DATES, check_header, read_rows

CHOICES = {"state", "priority", "impact", "urgency", "hold_reason", "contact_type",
           "reopen_count", "reassignment_count", "made_sla"}
RAW_FIRST = {*DATES, *CHOICES}


def _detect(sample: Sample) -> int:
    """A JSON object whose first key is ``result``."""
    start = sample.text.lstrip()[:200].replace(" ", "").replace("\n", "")
    return 90 if start.startswith('{"result":') else 0


def _value(field: str, value: Any) -> tuple[str | None, bool]:
    """The text of a value and whether it is a raw date/choice."""
    if value is None:
        return None, False
    if isinstance(value, dict):
        if "value" in value and (field in RAW_FIRST or "display_value" not in value):
            return _value(field, value["value"])[0], field in DATES
        if "display_value" in value:
            return _value(field, value["display_value"])[0], False
        raise ValueError(f"{field}: an object without value or display_value")
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, int | float):
        return str(value), False
    if isinstance(value, str):
        return (value.strip() or None), False
    raise ValueError(f"{field}: must be text, not {type(value).__name__}")


def _document(text: str) -> list[Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidValue("file", f"not valid JSON: line {err.lineno}: {err.msg}") from None
    except (ValueError, RecursionError) as err:
        raise InvalidValue("file", f"not valid JSON: {str(err)[:80]}") from None
    result = document.get("result") if isinstance(document, dict) else None
    if isinstance(result, dict):
        result = [result]
    if not isinstance(result, list):
        raise InvalidValue("file", 'not a ServiceNow Table API response: expected '
                           '{"result": [...]}')
    return result


def _read(source: Source, options: ReadOptions) -> Reading:
    records = _document(source.text())
    keys: dict[str, None] = {}
    for item in records:
        if isinstance(item, dict):
            keys |= dict.fromkeys(k for k in item if isinstance(k, str))
    _, warnings = check_header(keys, "Table API response")
    rows, problems = [], []
    raw_dates = False
    for position, item in enumerate(records, 1):
        if not isinstance(item, dict):
            problems.append(Problem(position, "must be an object of incident fields",
                                    "record"))
            continue
        row: dict[str, str | None] = {}
        try:
            for field, value in item.items():
                row[field], raw = _value(field, value)
                raw_dates = raw_dates or raw
        except ValueError as err:
            label = item.get("number") if isinstance(item.get("number"), str) else ""
            problems.append(Problem(position, str(err), "record",
                                    label=normalised_number(label)[:40]))
            continue
        raw_dates = raw_dates or (row.get("state") or "").isdigit()
        rows.append((position, row))
    reading = read_rows(rows, options, "record", warnings, raw_utc=raw_dates)
    reading.problems[:0] = problems
    return reading


FORMAT = ImportFormat(name="servicenow-json", title="ServiceNow Table API (JSON)",
                      unit="record", detect=_detect, read=_read, schema=TicketRecord)
