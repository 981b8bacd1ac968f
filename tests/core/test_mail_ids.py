from desk_app.core.mail_ids import message_id, numbers_in_subject, subject_tag, ticket_ids_in

TICKET = "0192f3a4-5b6c-7d8e-9f01-23456789abcd"


def test_the_same_notice_gets_the_same_message_id_on_every_desk():
    first = message_id(TICKET, "resolved", "h1", "desk.example.org")
    assert first == message_id(TICKET, "resolved", "h1", "desk.example.org")
    assert first != message_id(TICKET, "resolved", "h2", "desk.example.org")
    assert first.startswith("<desk.") and first.endswith("@desk.example.org>")


def test_a_reply_finds_its_ticket_from_in_reply_to_or_references():
    ours = message_id(TICKET, "logged", "", "example.org")
    other = message_id("0192f3a4-0000-7d8e-9f01-23456789abcd", "resolved", "", "example.org")
    assert ticket_ids_in(ours) == [TICKET]
    assert ticket_ids_in(f"<abc@mail.example.com> {other}\n {ours.upper()}") == [
        TICKET, "0192f3a4-0000-7d8e-9f01-23456789abcd"]
    assert ticket_ids_in("<CAF=x@mail.gmail.com>") == []
    assert ticket_ids_in(None) == []


def test_ticket_numbers_are_tagged_in_subjects():
    assert subject_tag("INC-000123") == "[INC-000123]"
    assert numbers_in_subject("Re: [INC-000123] VPN drops") == ["INC-000123"]
    assert numbers_in_subject("AW: [INC-T3F2A-0001] [INC0010045]") == [
        "INC-T3F2A-0001", "INC0010045"]
    assert numbers_in_subject("[URGENT] [Fwd]") == []
    assert numbers_in_subject("RE: AW: no tag INC0001234") == []
    assert numbers_in_subject(None) == []
