"""How refusals read in the window."""

from desk_app.core.errors import DiskFull, InvalidValue
from desk_app.ui.refusals import refusal_text


def test_a_form_field_reads_with_spaces_and_a_policy_path_stays_as_written():
    assert refusal_text(InvalidValue("detected_at", "is in the future")) == \
        "detected at: is in the future"
    assert refusal_text(InvalidValue("policy team.time_zone", "unknown zone 'Mars/Base'")) \
        == "policy team.time_zone: unknown zone 'Mars/Base'"


def test_a_machine_problem_says_what_to_do():
    text = refusal_text(DiskFull("the disk holding the data folder is full", "free space"))
    assert text == "The disk holding the data folder is full.\nWhat to do: free space."
