"""Reading real-world-shaped mail: the corpus in tests/data/mail."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.file_names import MAX_NAME_BYTES, safe_file_name
from desk_app.core.mail_message import parse_message
from desk_app.core.mail_text import (
    confirms,
    decode_text,
    html_to_text,
    new_part_of_reply,
    satisfaction,
)

MAIL = Path(__file__).parents[1] / "data" / "mail"


def read(name: str):
    return parse_message((MAIL / name).read_bytes())


def test_multipart_alternative_prefers_the_plain_part():
    message = read("alternative.eml")
    assert (message.sender_name, message.sender_address) == ("Smith, Bob",
                                                            "bob.smith@example.com")
    assert message.subject == "Printer on 3rd floor jams every page"
    assert message.message_id == "<CAF1234abcd@mail.example.com>"
    assert message.text.startswith("Hello,\n\nThe printer PRN-3F-01 jams")
    assert "<b>" not in message.text
    assert message.date.isoformat() == "2026-11-23T08:12:44+00:00"
    assert "helpdesk@example.org" in message.recipients
    assert message.attachments == () and message.automatic is None


def test_html_only_becomes_readable_text_without_scripts_or_styles():
    text = read("html_only.eml").text
    assert "The HR portal shows Error 503 when I log in." in text
    assert "- Chrome\n- Edge" in text
    assert "<https://hr.example.com/status>" in text
    assert "alert" not in text and "color" not in text and "<p>" not in text


@pytest.mark.parametrize(("name", "subject", "words"), [
    ("latin1.eml", "Drucker für Büro 2", "weiße Seiten"),
    ("windows1252.eml", "Laptop won’t charge", "won’t charge – the light stays off… "
                                               "cost me €20"),
    ("shift_jis.eml", "メールが届かない", "至急対応をお願いします"),
    ("wrong_charset.eml", "Wrong charset", "Café machine broken, naïve fix"),
    ("mislabelled_utf8.eml", "Mislabelled", "Zürich office: the café Wi‑Fi"),
])
def test_charsets_and_encoded_words_decode(name, subject, words):
    message = read(name)
    assert message.subject == subject
    assert words in message.text


def test_encoded_sender_name():
    assert read("latin1.eml").sender_name == "René Müller"
    assert read("shift_jis.eml").sender_name == "田中"


def test_inline_image_is_an_attachment_and_not_in_the_text():
    message = read("inline_image.eml")
    assert message.text == "See the error below."
    [image] = message.attachments
    assert image.content_type == "image/png" and image.inline
    assert image.name == "shot1.png" and image.data.startswith(b"\x89PNG")


def test_forwarded_message_and_a_hostile_file_name():
    message = read("forwarded.eml")
    assert message.text == "Is this real or phishing? Forwarding the original."
    names = {a.name: a for a in message.attachments}
    assert set(names) == {"Your mailbox is almost full.eml", "passwd"}
    forwarded = names["Your mailbox is almost full.eml"]
    assert forwarded.content_type == "message/rfc822"
    assert parse_message(forwarded.data).subject == "Your mailbox is almost full"
    assert names["passwd"].data.startswith(b"%PDF")


@pytest.mark.parametrize("name", ["malformed_headers.eml", "no_headers.eml"])
def test_missing_and_malformed_headers_never_raise(name):
    message = read(name)
    assert message.sender_address == ""
    assert message.date is None
    assert message.message_id.endswith("@no-message-id>")  # stable, from the content
    assert read(name).message_id == message.message_id


@pytest.mark.parametrize(("name", "why"), [
    ("auto_reply.eml", "Auto-Submitted: auto-replied"),
    ("bounce.eml", "sent by mailer-daemon@mx.example.org"),
    ("list_mail.eml", "Precedence: bulk"),
])
def test_auto_replies_bounces_and_list_mail_are_recognised(name, why):
    assert read(name).automatic == why


def test_delivery_report_from_a_person_address_is_still_a_bounce():
    data = (MAIL / "bounce.eml").read_bytes().replace(b"MAILER-DAEMON@", b"ops@")
    assert parse_message(data).automatic.startswith("delivery report (delivery-status")


def test_auto_submitted_no_and_x_autoreply_headers():
    base = b"From: a@example.com\r\nSubject: s\r\n%s\r\n\r\nbody\r\n"
    assert parse_message(base % b"Auto-Submitted: no").automatic is None
    assert parse_message(base % b"X-Autoreply: yes").automatic == "X-Autoreply: yes"
    assert parse_message(base % b"Precedence: junk").automatic == "Precedence: junk"


def test_the_desks_own_mail_coming_back_is_recognised():
    from desk_app.core.mail_ids import message_id

    ours = message_id("0193a0d4-0000-7000-8000-000000000001", "resolved", "k", "example.org")
    data = f"From: helpdesk@example.org\r\nMessage-ID: {ours}\r\n\r\nResolved.\r\n"
    assert parse_message(data.encode()).automatic == \
        "sent by this desk (its own mail came back)"


def test_reply_text_keeps_only_the_new_part():
    message = read("reply_quoted.eml")
    assert new_part_of_reply(message.text) == "Yes, it works again. Thank you!"
    outlook = ("Still broken here.\n\n________________________________\nFrom: Desk "
               "<desk@example.org>\nSent: Monday\nSubject: Resolved")
    assert new_part_of_reply(outlook) == "Still broken here."
    german = "Geht wieder.\n\nAm 23.11.2026 um 16:00 schrieb Desk <d@example.org>:\n> alt"
    assert new_part_of_reply(german) == "Geht wieder."
    assert new_part_of_reply("> only quoted") == "> only quoted"


@pytest.mark.parametrize(("text", "confirmed"), [
    ("Yes", True), ("yes, it works", True), ("CONFIRMED.", True), ("Fixed!", True),
    ("\n\n  oui, merci", True), ("Ja, geht wieder", True), ("Sí, gracias", True),
    ("No, still broken", False), ("not fixed", False), ("It is fixed", False),
    ("", False), ("yesterday it broke again", False),
])
def test_confirmation_words_on_the_first_line(text, confirmed):
    assert confirms(text) is confirmed


@given(st.text())
def test_any_file_name_becomes_safe(name):
    safe = safe_file_name(name)
    assert safe and "/" not in safe and "\\" not in safe and safe not in (".", "..")
    assert not safe.startswith(".")
    assert all(ord(ch) >= 32 and ch != "\x7f" for ch in safe)
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"), ("", "attachment"),
    ("   ", "attachment"), ("..", "attachment"), ("a\x00b\x1b[31m.txt", "a_b_[31m.txt"),
    ("CON.txt", "_CON.txt"), ("report.pdf", "report.pdf"),
])
def test_hostile_file_names(name, safe):
    assert safe_file_name(name) == safe


def test_a_very_long_name_keeps_its_extension():
    safe = safe_file_name("é" * 500 + ".png")
    assert safe.endswith(".png") and len(safe.encode()) <= MAX_NAME_BYTES


@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_raising(data):
    message = parse_message(b"From: x@example.com\r\nSubject: s\r\n\r\n" + data)
    assert isinstance(message.text, str)


def test_decode_text_never_raises():
    assert decode_text(b"\xff\xfe\x81", "utf-8") == "ÿþ\x81".encode("latin-1").decode(
        "windows-1252", errors="replace")
    assert decode_text("é".encode(), "no-such") == "é"
    assert decode_text("é".encode(), "utf\x00-8") == "é"


def test_a_charset_name_with_a_nul_byte_parses():
    data = (b"From: x@example.com\r\nSubject: s\r\n"
            b"Content-Type: text/plain; charset=\"utf-8\x00\"\r\n\r\nhello\r\n")
    assert parse_message(data).text == "hello"


def test_broken_html_keeps_its_text():
    assert html_to_text("<p>one<br>two<div>three</p><td>x</td><<<") .startswith("one\ntwo")


@pytest.mark.parametrize(("text", "score"), [
    ("5", 5), ("4/5", 4), ("3 - ok", 3), ("5 out of 5", 5), ("\n\n 2.\nthanks", 2),
    ("1, slow", 1), ("10", None), ("0", None), ("6", None), ("5.5", None),
    ("2026 it broke again", None), ("It is 5 again", None), ("", None), ("5pm", None),
])
def test_a_satisfaction_score_on_the_first_line(text, score):
    assert satisfaction(text) == score


def test_a_container_without_parts_is_read_as_text_never_as_a_file():
    head = b"From: a@example.com\r\nSubject: s\r\nMessage-ID: <n@x>\r\n"
    no_boundary = parse_message(head + b"Content-Type: multipart/mixed\r\n\r\nhello\r\n")
    assert (no_boundary.text, no_boundary.attachments) == ("hello", ())
    nested = parse_message(head + b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                           + b"--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" * 500
                           + b"Content-Type: text/plain\r\n\r\ndeep\r\n")
    assert nested.text.endswith("deep") and nested.attachments == ()
