"""Human labels for the process's stored values (``in_progress`` -> "In progress")."""

SPECIAL_LABELS = {
    "auto_closed": "Auto-closed",
    "walk-in": "Walk-in",
    "duplicate_of": "Duplicate of",
    "sla": "SLA",
    "ci": "CI",
}


def human_label(value: str) -> str:
    """The label a person reads for a stored value: words spaced, first letter capital;
    codes such as P1 or L2 and empty values are shown as they are."""
    if not value or value.isupper() or value[:1].isdigit():
        return value
    if value in SPECIAL_LABELS:
        return SPECIAL_LABELS[value]
    text = value.replace("_", " ")
    return text[0].upper() + text[1:]


def with_article(word: str) -> str:
    """``word`` after "a" or "an" ("an incident", "a problem")."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
