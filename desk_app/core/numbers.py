"""The shapes of human ticket numbers.

The desk issues ``INC-000123`` (wider after ``INC-999999``: ``INC-1000000``), a team
desk offline issues temporary ``INC-T3F2A-0001``, and imports keep another system's
labels such as ServiceNow's ``INC0010045`` or a key such as Jira's ``SD-123`` (the
GLPI, osTicket and Zammad imports write theirs as ``GLPI-4711``, ``OST-123456``,
``ZAM-31001``). Numbers are upper case: that is how they are looked up.
"""

import re

OUR_FORMAT = re.compile(r"^([A-Z]{3})-([0-9]{6,9})$")
TEMPORARY = re.compile(r"^[A-Z]{3}-T[0-9A-F]{4}-[0-9]{4,}$")
FOREIGN = re.compile(r"^[A-Z]{2,6}[0-9]{4,12}$")
KEYED = re.compile(r"^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,11}$")  # no leading zero
SHAPES = ("INC-000123, INC-T3F2A-0001 or another system's label such as INC0010045 "
          "or SD-123")


def normalised_number(text: str) -> str:
    """``text`` as the desk stores and looks numbers up: stripped, upper case."""
    return text.strip().upper()


def is_ticket_number(text: str) -> bool:
    """True for a number in one of the shapes the desk keeps (already normalised)."""
    ours = OUR_FORMAT.match(text)
    if ours:
        return int(ours.group(2)) > 0  # numbering starts at 1
    return any(p.match(text) for p in (TEMPORARY, FOREIGN, KEYED))
