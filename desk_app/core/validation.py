"""Small input checks shared by the activities."""

from desk_app.core.errors import InvalidValue


def required_text(field: str, value: str | None) -> str:
    """``value`` stripped, or refuse naming ``field`` when it is empty."""
    if value is None or not value.strip():
        raise InvalidValue(field, "is required")
    return value.strip()
