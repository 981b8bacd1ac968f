"""Mail templates: only known placeholders, the reply instructions where the desk reads
the reply, the ticket's tag in every subject, and the SMTP settings' refusals."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.mail_templates import (
    DEFAULT_TEMPLATES,
    EVENTS,
    PLACEHOLDERS,
    MailPolicy,
    SmtpSettings,
    Template,
    TemplateProblem,
    placeholders_in,
    preview,
)


def test_every_built_in_template_is_valid_and_previews():
    policy = MailPolicy.from_section(None)
    policy.check()
    assert set(policy.templates) == set(EVENTS) == set(DEFAULT_TEMPLATES)
    for template in policy.templates.values():
        subject, body = preview(template)
        assert subject.startswith("[INC-000123] ") and "{" not in body


@pytest.mark.parametrize(("text", "shown"), [
    ("Hi {name}", "{name}"), ("{number.real}", "{number.real}"), ("{summary[0]}",
                                                                   "{summary[0]}"),
    ("{summary!r}", "{summary!r}"), ("{priority:>10}", "{priority:>10}"), ("{}", "{}"),
])
def test_an_unknown_placeholder_is_refused_naming_template_and_placeholder(text, shown):
    with pytest.raises(TemplateProblem) as refused:
        Template("assigned", True, "Subject", text).check()
    assert refused.value.field == "templates.assigned.body"
    assert f"unknown placeholder {shown}" in refused.value.message


def test_an_unbalanced_brace_is_refused_with_how_to_write_one():
    with pytest.raises(TemplateProblem, match=r"write \{\{ and \}\}"):
        placeholders_in("Hello {reporter", "templates.logged.subject")


@pytest.mark.parametrize("event", ["resolved", "closed"])
def test_a_template_whose_reply_the_desk_reads_must_say_how_to_answer(event):
    with pytest.raises(TemplateProblem, match=r"must contain \{reply_instructions\}"):
        Template(event, True, "Done", "It is done, {reporter}.").check()


def test_the_resolved_and_closed_instructions_say_yes_and_1_to_5():
    resolved = preview(MailPolicy.from_section(None).templates["resolved"])[1]
    closed = preview(MailPolicy.from_section(None).templates["closed"])[1]
    assert 'write "yes" on the first line' in resolved and "reopens" in resolved
    assert "number 1-5" in closed


def test_a_subject_keeps_the_tag_where_the_template_put_it():
    template = Template("logged", True, "Logged as [{number}]: {summary}", "{number}")
    subject, _ = template.render({"number": "INC-000007", "summary": "Printer"}, "INC-000007")
    assert subject == "Logged as [INC-000007]: Printer"


names = st.sampled_from(sorted(PLACEHOLDERS))
literal = st.text(st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)),
                  max_size=20)


@given(st.lists(st.tuples(literal, names), max_size=6), literal)
def test_any_text_of_known_placeholders_renders_every_value(parts, tail):
    text = "".join(f"{lit}{{{name}}}" for lit, name in parts) + tail
    template = Template("assigned", True, "S", text)
    template.check()
    values = {name: f"<{name}>" for name in PLACEHOLDERS}
    _, body = template.render(values, "INC-000001")
    for _lit, name in parts:
        assert f"<{name}>" in body


@given(st.text(st.characters(whitelist_categories=("Ll",)), min_size=1, max_size=12)
       .filter(lambda n: n not in PLACEHOLDERS and n.isidentifier()))
def test_any_other_name_is_refused(name):
    with pytest.raises(TemplateProblem, match="unknown placeholder"):
        Template("logged", True, "{" + name + "}", "x").check()


@pytest.mark.parametrize(("settings", "field"), [
    (SmtpSettings(host="smtp.example.com", security="none"), "smtp.security"),
    (SmtpSettings(host="smtp.example.com", security="ssl"), "smtp.security"),
    (SmtpSettings(host="smtp.example.com", port=0), "smtp.port"),
    (SmtpSettings(host="smtp.example.com", from_address="desk"), "smtp.from_address"),
    (SmtpSettings(host="smtp.example.com", reply_to="a b@example.com"), "smtp.reply_to"),
])
def test_smtp_settings_are_refused_naming_the_field(settings, field):
    with pytest.raises(TemplateProblem) as refused:
        settings.check()
    assert refused.value.field == field


def test_no_encryption_is_fine_on_this_computer():
    SmtpSettings(host="127.0.0.1", port=25, security="none").check()
