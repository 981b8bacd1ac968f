"""Leaving Qt plugins out of a PyInstaller analysis, with the libraries only they needed.

PyInstaller collects every plugin of the Qt modules we use, and every library those
plugins link to (the virtual keyboard alone brings QML and Quick). ``prune`` drops the
plugins we name, then each library that was reachable from them and is not needed by
anything kept.
"""

import fnmatch
import os
from collections.abc import Callable, Iterable

Entry = tuple[str, str, str]  # (destination, source, type code)
# what a binary links to: PyInstaller.depend.bindepend.get_imports, (name, path) pairs
ImportsOf = Callable[[str], Iterable[tuple[str, str | None]]]


def _name(path: str) -> str:
    return os.path.basename(path.replace("\\", "/"))


def _matches(destination: str, patterns: Iterable[str]) -> bool:
    normalised = "/" + destination.replace("\\", "/")
    return any(fnmatch.fnmatch(normalised, "*" + pattern.lstrip("*")) for pattern in patterns)


def _reachable(start: Iterable[Entry], by_name: dict[str, Entry],
               get_imports: ImportsOf) -> set[str]:
    """Names of the collected libraries that ``start`` links to, directly or not."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        entry = todo.pop()
        for referenced, _path in get_imports(entry[1]):
            name = _name(referenced)
            if name in by_name and name not in seen:
                seen.add(name)
                todo.append(by_name[name])
    return seen


def prune(binaries: list[Entry], plugin_patterns: list[str],
          get_imports: ImportsOf) -> tuple[list[Entry], list[Entry]]:
    """(kept, dropped): the binaries without the matching plugins and their orphans."""
    if not plugin_patterns:
        return binaries, []
    plugins = [entry for entry in binaries if _matches(entry[0], plugin_patterns)]
    rest = [entry for entry in binaries if entry not in plugins]
    by_name = {_name(entry[0]): entry for entry in rest}
    candidates = _reachable(plugins, by_name, get_imports)
    still_needed = _reachable((e for e in rest if _name(e[0]) not in candidates), by_name,
                             get_imports)
    orphans = candidates - still_needed
    kept = [entry for entry in rest if _name(entry[0]) not in orphans]
    dropped = plugins + [entry for entry in rest if _name(entry[0]) in orphans]
    return kept, dropped


def drop_data(datas: list[Entry], patterns: list[str]) -> list[Entry]:
    """The data files whose destination matches none of ``patterns``."""
    return [entry for entry in datas if not _matches(entry[0], patterns)]
