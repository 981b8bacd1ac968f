"""Services and CIs from CSV: a good file (any column order and case, the encodings and
separators spreadsheets save), and bad ones refused whole, naming every bad line."""

import codecs
import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import BatchRefused, InvalidValue
from desk_app.services import catalogue
from desk_app.services.catalogue_csv import (
    as_text_cell,
    export_catalogue,
    from_text_cell,
    import_catalogue,
)
from desk_app.storage.database import database
from desk_app.storage.models import ConfigurationItem, Outbox, Service

SERVICES = ("Name,Criticality,Owner group,Major priorities,SLA targets,Notes\n"
            "Email,high,Service Desk,P1;P2,P1=10m/1h,\"Mail, calendars\"\n"
            "Printing,low,,,,\n")
CIS = ("name;type;serial;location;service\n"
       "MAIL-01;server;SN1;DC1;Email\n"
       "PRN-2F;printer;;Floor 2;printing\n"
       "LAPTOP-7;laptop;;;\n")


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_a_good_file_imports_services_then_cis(session, tmp_path):
    assert import_catalogue(session, "service", _write(tmp_path, "s.csv", SERVICES)) == 2
    email = Service.get(Service.name == "Email")
    assert (email.criticality, email.owner_group, email.major_priorities) == \
        ("high", "Service Desk", "P1,P2")
    assert email.notes == "Mail, calendars"
    assert import_catalogue(session, "ci", _write(tmp_path, "c.csv", CIS)) == 3
    assert ConfigurationItem.get(ConfigurationItem.name == "PRN-2F").service == "Printing"
    queued = {(o.entity, o.field) for o in Outbox.select()}
    assert ("configuration_item", None) in queued and ("service", "name") in queued


def test_duplicates_and_unknown_services_are_refused_naming_lines(session, tmp_path):
    import_catalogue(session, "service", _write(tmp_path, "s.csv", SERVICES))
    bad = ("name,service\nPC-1,Email\nPC-2,Payroll\npc-1,Email\nPC-3,Email\n"
           "PC-4,Nope\n")
    with pytest.raises(BatchRefused) as refused:
        import_catalogue(session, "ci", _write(tmp_path, "bad.csv", bad))
    shown = {(p.position, p.reason.split(":")[0]) for p in refused.value.problems}
    assert shown == {(3, "service"), (4, "name"), (6, "service")}
    assert "line 2" in str(refused.value)  # the duplicate names the line it repeats
    assert "Payroll" in str(refused.value)
    assert ConfigurationItem.select().count() == 0  # nothing imported
    with pytest.raises(BatchRefused, match="has 'Email' already"):
        import_catalogue(session, "service", _write(tmp_path, "again.csv", "name\nemail\n"))
    assert Service.select().count() == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_spreadsheet_encodings_import(session, tmp_path, encoding):
    text = "name,location\r\nCafé-PC,Büro 3\r\n"
    import_catalogue(session, "ci", _write(tmp_path, "c.csv", text, encoding))
    assert ConfigurationItem.get().location == "Büro 3"
    assert ConfigurationItem.get().name == "Café-PC"


@pytest.mark.parametrize("data, reason", [
    (codecs.BOM_UTF32_LE + "name\nX\n".encode("utf-32-le"), "UTF-32"),
    (b"PK\x03\x04\x00\x00\xff\xfe\x00binary", "zip"),
    (b"name\nPC\x00-1\n", "NUL"),
    (b"name,name\nA,B\n", "twice"),
    (b"host\nA\n", "no 'name' column"),
    (b"name,colour\nA,red\n", "unknown column"),
    (b"name\n\n", "no configuration item rows"),
    (b"", "x.csv is empty"),
    (b"\xef\xbb\xbf  \n\n", "x.csv is empty"),
    (b'name,type\n"unterminated,laptop\n', "line 2: not readable as CSV"),
])
def test_hostile_files_are_refused_and_change_nothing(session, tmp_path, data, reason):
    with pytest.raises(InvalidValue, match=reason):
        import_catalogue(session, "ci", _write(tmp_path, "x.csv", data))
    assert ConfigurationItem.select().count() == 0


def test_control_characters_and_long_fields_are_refused_by_line(session, tmp_path):
    text = "name,notes\nOK-1,fine\nBAD\x1b[31m,x\nLONG," + "x" * 200_001 + "\nX,\"a,b\",c\n"
    with pytest.raises(BatchRefused) as refused:
        import_catalogue(session, "ci", _write(tmp_path, "c.csv", text))
    assert {p.position for p in refused.value.problems} == {3, 4, 5}
    assert ConfigurationItem.select().count() == 0


def test_export_writes_what_import_reads(session, tmp_path):
    import_catalogue(session, "service", _write(tmp_path, "s.csv", SERVICES))
    import_catalogue(session, "ci", _write(tmp_path, "c.csv", CIS))
    catalogue.edit_entry(session, "ci", "LAPTOP-7", {"retired": True})
    for kind in ("service", "ci"):
        out = tmp_path / f"{kind}.out.csv"
        with out.open("w", encoding="utf-8", newline="") as handle:
            export_catalogue(session, kind, handle)
        before = catalogue.list_entries(session, kind, include_retired=True)
        text = out.read_text(encoding="utf-8")
        assert "P1=10m/1h" in text or kind == "ci"
        table = "service" if kind == "service" else "configuration_item"
        database.execute_sql(f"DELETE FROM {table}")
        import_catalogue(session, kind, out)
        assert catalogue.list_entries(session, kind, include_retired=True) == before


def test_formula_like_cells_export_as_text_and_import_back_unchanged(session, tmp_path):
    text = 'name,type,notes\n"=HYPERLINK(""http://x"")",laptop,=1+2\n@SUM,pc,-5 floor\n'
    import_catalogue(session, "ci", _write(tmp_path, "c.csv", text))
    before = catalogue.list_entries(session, "ci", include_retired=True)
    out = tmp_path / "out.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        export_catalogue(session, "ci", handle)
    cells = [c for line in out.read_text(encoding="utf-8").splitlines()[1:]
             for c in next(csv.reader([line]))]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]  # nothing runs
    database.execute_sql("DELETE FROM configuration_item")
    import_catalogue(session, "ci", out)
    assert catalogue.list_entries(session, "ci", include_retired=True) == before


@given(st.text())
def test_text_cells_round_trip(value):
    guarded = as_text_cell(value)
    assert from_text_cell(guarded) == value
    assert guarded[:1] not in ("=", "+", "-", "@", "\t", "\r")
