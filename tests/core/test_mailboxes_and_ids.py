"""Mailbox defaults from the policy and the ids an incoming message makes."""

from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.mail_in_ids import import_id, ticket_id_for, worklog_id_for
from desk_app.core.mail_text import new_part_of_reply
from desk_app.core.mailboxes import MailboxDefaults, mailbox_defaults

SECTIONS = {"mailboxes": [
    {"address": "Helpdesk@Example.org", "impact": "high", "urgency": "low",
     "service": "Email"},
    {"address": "*", "impact": "low", "urgency": "low"}]}


def test_the_named_mailbox_then_a_recipient_then_the_star_entry():
    assert mailbox_defaults(SECTIONS, [], "helpdesk@example.org").service == "Email"
    assert mailbox_defaults(SECTIONS, ["x@y", "helpdesk@example.org"]).impact == "high"
    assert mailbox_defaults(SECTIONS, ["x@y"]) == MailboxDefaults("*", "low", "low")
    assert mailbox_defaults({}, ["x@y"]) == MailboxDefaults()  # a policy from before


def test_ids_derive_from_the_message_id_alone():
    one, again = "<Abc@Example.com>", " <abc@example.com> "
    assert ticket_id_for(one) == ticket_id_for(again)
    assert len({import_id(one), ticket_id_for(one), worklog_id_for(one)}) == 3
    assert ticket_id_for(one) != ticket_id_for("<other@example.com>")


@given(st.text(min_size=1).filter(str.strip))
def test_trimming_a_reply_never_leaves_nothing(text):
    assert new_part_of_reply(text).strip()
