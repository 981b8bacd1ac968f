"""A smaller ICU data library for the bundle: the same library, without the items Qt
never reads.

PySide6's Qt links ICU, whose data library (libicudata, 31 MB) holds one "common data"
package: a table of contents and the items it names (``brkitr/word.brk``,
``lang/de.res``, ...). Qt calls only converters, collation, case mapping and time zone
names (``nm -D --undefined-only libQt6Core.so.6``), so whole item families are never
opened. ``subset`` writes the package without the items matching the patterns in
build/exclusions.py, and ``build_library`` turns it back into a library with the same
name and symbol (the package bytes behind ``icudt<version>_dat``), which ICU then opens
as before: a missing item is the ordinary "no such resource" answer, never a crash.

Linux only (ELF, binutils' objcopy and a C compiler, both there wherever ``strip`` is).
"""

import fnmatch
import re
import shutil
import struct
import subprocess
from pathlib import Path

ALIGN = 16  # ICU aligns every item on 16 bytes


class NotICUData(ValueError):
    """The bytes are not an ICU common data package."""


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(item name, item bytes)]) of a little-endian common data package."""
    header_size = struct.unpack_from("<H", data)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD" or header_size % ALIGN:
        raise NotICUData("not an ICU common data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    offsets = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for index, (name_at, data_at) in enumerate(offsets):
        name_start = header_size + name_at
        name = data[name_start:data.index(b"\0", name_start)].decode("ascii")
        end = header_size + offsets[index + 1][1] if index + 1 < count else len(data)
        items.append((name, data[header_size + data_at:end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package of ``items`` (kept in their order: ICU searches the table by name)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    name_offsets, at = [], toc_size
    for name, _ in items:
        name_offsets.append(at)
        at += len(name) + 1
    body, data_offsets = bytearray(), []
    at = _aligned(len(header) + toc_size + len(names)) - len(header)
    for _, item in items:
        data_offsets.append(at)
        body += item + b"\0" * (_aligned(len(item)) - len(item))
        at += _aligned(len(item))
    toc = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True))
    gap = data_offsets[0] - toc_size - len(names) if items else 0
    return header + toc + names + b"\0" * gap + bytes(body)


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


def subset(data: bytes, left_out: list[str]) -> tuple[bytes, list[str]]:
    """(the package without the items whose name, after the package prefix such as
    ``icudt73l/``, matches a pattern in ``left_out``; the names left out)."""
    header, items = read_package(data)
    kept, dropped = [], []
    for name, item in items:
        short = name.split("/", 1)[-1]
        (dropped if any(fnmatch.fnmatchcase(short, p) for p in left_out) else kept).append(
            (name, item))
    return write_package(header, kept), [name for name, _ in dropped]


def package_of(library: Path, scratch: Path) -> bytes:
    """The common data package inside an ICU data library."""
    out = scratch / "icudata.rodata"
    subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", str(library),
                    str(out)], check=True)
    return out.read_bytes()


def build_library(package: bytes, soname: str, symbol: str, out: Path) -> Path:
    """A shared library named ``soname`` exporting ``package`` as ``symbol``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    blob = out.parent / "icudata.dat"
    blob.write_bytes(package)
    source = out.parent / "icudata.S"
    source.write_text(
        f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
        f'\t.balign {ALIGN}\n{symbol}:\n\t.incbin "{blob}"\n'
        f'\t.size {symbol}, . - {symbol}\n\t.section .note.GNU-stack,"",@progbits\n')
    subprocess.run(["cc", "-shared", "-nostdlib", f"-Wl,-soname,{soname}",
                    "-o", str(out), str(source)], check=True)
    return out


def slim(binaries: list[tuple[str, str, str]], left_out: list[str],
         scratch: Path) -> tuple[list[tuple[str, str, str]], str]:
    """The binaries with libicudata replaced by one without the ``left_out`` items, and a
    line saying what happened (the binaries unchanged when there is nothing to do)."""
    if not left_out:
        return binaries, "ICU data kept whole"
    for index, (destination, source, kind) in enumerate(binaries):
        match = re.fullmatch(r"libicudata\.so\.(\d+)", Path(destination).name)
        if not match:
            continue
        missing = [tool for tool in ("objcopy", "cc") if shutil.which(tool) is None]
        if missing:  # a bigger bundle, not a failed build
            return binaries, (f"{match.group(0)} kept whole: {' and '.join(missing)} not "
                              "found (install binutils and a C compiler)")
        original = package_of(Path(source), scratch)
        package, dropped = subset(original, left_out)
        library = build_library(package, match.group(0), f"icudt{match.group(1)}_dat",
                                scratch / "icu" / match.group(0))
        slimmed = [*binaries[:index], (destination, str(library), kind), *binaries[index + 1:]]
        return slimmed, (f"{match.group(0)}: {len(dropped)} ICU data items left out, "
                         f"{len(original) / 1e6:.1f} -> {len(package) / 1e6:.1f} MB")
    return binaries, "no ICU data library to slim"
