"""The service self-test's checks of the mail clients and the ranked search library."""

import importlib.metadata

import pytest

from desk_app.services import selftest


def test_the_mail_clients_load_with_tls():
    detail = selftest.mail_clients(None)
    assert "smtplib, imap-tools" in detail and "OpenSSL" in detail


def test_the_mail_check_fails_when_imap_tools_is_missing(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "imap_tools", None)
    with pytest.raises(ImportError):
        selftest.mail_clients(None)


@pytest.mark.parametrize(("requires", "expected"), [
    (["rapidfuzz>=3.9", "peewee"], True), (["rapidfuzz ; python_version>'3'"], True),
    (["rapidfuzzy>=1"], False), ([], False), (None, False)])
def test_the_ranked_search_check_follows_the_declared_dependencies(monkeypatch, requires,
                                                                   expected):
    monkeypatch.setattr(importlib.metadata, "requires", lambda name: requires)
    assert selftest._depends_on("rapidfuzz") is expected


def test_the_ranked_search_check_is_skipped_without_the_dependency(monkeypatch):
    monkeypatch.setattr(importlib.metadata, "requires", lambda name: ["peewee"])
    assert selftest.ranked_search_library(None) == "rapidfuzz is not a dependency of this build"


def test_the_ranked_search_check_fails_when_rapidfuzz_is_missing(monkeypatch):
    monkeypatch.setattr(importlib.metadata, "requires", lambda name: ["rapidfuzz>=3"])
    monkeypatch.setitem(__import__("sys").modules, "rapidfuzz", None)
    with pytest.raises(ImportError):
        selftest.ranked_search_library(None)


def test_the_ranked_search_check_fails_on_the_pure_python_fallback(monkeypatch):
    from rapidfuzz import fuzz, fuzz_py

    monkeypatch.setattr(importlib.metadata, "requires", lambda name: ["rapidfuzz>=3"])
    monkeypatch.setattr(fuzz, "ratio", fuzz_py.ratio)
    with pytest.raises(selftest.SelfTestFailed, match="not its compiled matcher"):
        selftest.ranked_search_library(None)
