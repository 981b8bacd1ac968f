"""The smaller ICU data library (build/icu_data.py): the package keeps every item not
left out, byte for byte, and Qt's collation, case mapping and time zone names answer
exactly as with the full data."""

import ctypes
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

import exclusions  # noqa: E402
import icu_data  # noqa: E402

QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"
ICU_LIBRARY = next(iter(sorted(QT_LIB.glob("libicudata.so.*"))), None)
linux_icu = pytest.mark.skipif(
    ICU_LIBRARY is None or shutil.which("objcopy") is None or shutil.which("cc") is None,
    reason="PySide6's ICU data library, objcopy and a C compiler (Linux)")


def package(names_and_sizes: list[tuple[str, int]]) -> bytes:
    """A small common data package made by hand (header as ICU writes it)."""
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HH", 20, 0) \
        + bytes([0, 0, 2, 0]) + b"CmnD" + bytes([1, 0, 0, 0, 3, 0, 0, 0])
    header += b"\0" * (32 - len(header))
    return icu_data.write_package(header, [(f"icudt73l/{name}", bytes([i + 1]) * size)
                                           for i, (name, size) in enumerate(names_and_sizes)])


def test_items_left_out_by_pattern_and_the_rest_kept_in_order():
    original = package([("brkitr/word.brk", 40), ("coll/root.res", 17), ("en.res", 5),
                        ("ibm-943.cnv", 100), ("zone/en.res", 3)])
    slim, dropped = icu_data.subset(original, ["brkitr/*", "*.cnv"])
    assert dropped == ["icudt73l/brkitr/word.brk", "icudt73l/ibm-943.cnv"]
    _, items = icu_data.read_package(slim)
    assert [name for name, _ in items] == ["icudt73l/coll/root.res", "icudt73l/en.res",
                                           "icudt73l/zone/en.res"]
    assert [item.rstrip(b"\0") for _, item in items] == [b"\2" * 17, b"\3" * 5, b"\5" * 3]


def test_every_item_starts_on_16_bytes():
    data = package([("a.res", 3), ("b.res", 17), ("c.res", 1)])
    header_size = struct.unpack_from("<H", data)[0]
    count = struct.unpack_from("<I", data, header_size)[0]
    for index in range(count):
        _, data_at = struct.unpack_from("<II", data, header_size + 4 + 8 * index)
        assert (header_size + data_at) % 16 == 0


def test_bytes_that_are_not_icu_data_are_refused():
    with pytest.raises(icu_data.NotICUData):
        icu_data.read_package(b"\x20\x00" + b"\0" * 100)


@pytest.fixture(scope="module")
def slim_library(tmp_path_factory) -> tuple[Path, bytes, bytes]:
    scratch = tmp_path_factory.mktemp("icu")
    entries = [(f"PySide6/Qt/lib/{ICU_LIBRARY.name}", str(ICU_LIBRARY), "BINARY")]
    slimmed, note = icu_data.slim(entries, exclusions.excluded_icu_data(), scratch)
    assert "ICU data items left out" in note
    original = icu_data.package_of(ICU_LIBRARY, scratch)
    return Path(slimmed[0][1]), original, icu_data.subset(
        original, exclusions.excluded_icu_data())[0]


@linux_icu
def test_the_rebuilt_library_exports_the_package_under_icus_name(slim_library):
    library, original, slim = slim_library
    assert library.name == ICU_LIBRARY.name
    symbol = "icudt" + ICU_LIBRARY.name.rsplit(".", 1)[1] + "_dat"
    loaded = ctypes.CDLL(str(library))
    address = ctypes.addressof(ctypes.c_char.in_dll(loaded, symbol))
    assert ctypes.string_at(address, len(slim)) == slim
    assert len(slim) < len(original) / 2


@linux_icu
def test_the_kept_items_are_the_originals(slim_library):
    _, original, slim = slim_library
    kept = dict(icu_data.read_package(slim)[1])
    full = dict(icu_data.read_package(original)[1])
    assert any(name.endswith("coll/root.res") for name in kept)
    assert any(name.endswith("zoneinfo64.res") for name in kept)
    for name, item in kept.items():
        assert item.rstrip(b"\0") == full[name].rstrip(b"\0"), name


QT_USES_OF_ICU = """
from PySide6.QtCore import QCollator, QLocale, QTimeZone
out = []
for name in ("de_DE", "sv_SE", "zh_CN", "ja_JP"):
    collator = QCollator(QLocale(name))
    out.append(sorted(["b", "\\u00c4", "a", "z", "\\u00e5", "\\u4e2d", "\\u56fd"],
                      key=collator.sortKey))
collator = QCollator()
collator.setNumericMode(True)
out.append(collator.compare("file10", "file9") > 0)
zone = QTimeZone(b"Europe/Berlin")
for name in ("en_GB", "de_DE", "ja_JP"):
    for kind in (QTimeZone.StandardTime, QTimeZone.DaylightTime):
        for width in (QTimeZone.LongName, QTimeZone.ShortName):
            out.append(zone.displayName(kind, width, QLocale(name)))
out.append(QLocale("tr_TR").toUpper("istanbul"))
out.append(QLocale("en").toLower("\\u00c4\\u00d6\\u00dc"))
print(out)
"""


@linux_icu
def test_qt_answers_the_same_with_the_smaller_data(slim_library):
    """What Qt asks ICU for (collation, time zone names, case mapping) is unchanged."""
    library, _, _ = slim_library

    def run(extra_path: str | None) -> str:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        if extra_path:  # ahead of PySide6's RUNPATH
            env["LD_LIBRARY_PATH"] = extra_path
        return subprocess.run([sys.executable, "-c", QT_USES_OF_ICU], env=env, check=True,
                              capture_output=True, text=True).stdout

    full = run(None)
    assert "Mitteleurop" in full
    assert run(str(library.parent)) == full
