"""The readable text of a mail: HTML turned into text, charsets decoded without ever
failing, the quoted history of a reply cut off, and what a reply's first line says.

HTML goes through the standard library's :class:`html.parser.HTMLParser`: it never
raises on broken markup, needs no dependency (html2text is GPL-licensed, which an MIT
desk shipped as an executable cannot take), and mail HTML only needs its text, line
breaks, list items and link targets, not a layout.
"""

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                     "ol", "blockquote", "pre", "section", "article", "header", "footer",
                     "hr", "dl", "dt", "dd", "center", "form", "address"})
_SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_LATIN = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1",
                    "windows-1252", "cp1252", "iso-8859-15"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.preformatted = 0
        self.link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            self.preformatted += tag == "pre"
        elif tag == "a":
            self.link = dict(attrs).get("href")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED:
            self.skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag == "pre":
                self.preformatted = max(0, self.preformatted - 1)
        elif tag == "a":
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if not self.preformatted:
            data = re.sub(r"\s+", " ", data)
        self.parts.append(data)
        link = self.link
        if link and link.startswith(("http:", "https:")) and link not in data:
            self.parts.append(f" <{link}>")
            self.link = None


def html_to_text(markup: str) -> str:
    """The readable text of an HTML body (paragraphs and line breaks kept, scripts,
    styles and tags dropped, entities decoded)."""
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
    except (AssertionError, ValueError):  # very broken markup: keep what was read
        pass
    text = "".join(collector.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def decode_text(payload: bytes, declared: str | None) -> str:
    """``payload`` as text. The declared charset is tried first; a Latin one that the
    bytes also read as UTF-8 is taken as UTF-8 (mislabelled mail), an unknown or wrong
    one falls back to UTF-8 then Windows-1252; never raises."""
    charset = (declared or "").strip().strip('"').lower()
    candidates = []
    if charset in _LATIN and not payload.isascii():
        candidates.append("utf-8")
    if charset:
        candidates.append(charset)
    candidates += ["utf-8", "windows-1252"]
    for candidate in candidates:
        try:
            return payload.decode(candidate)
        except (LookupError, ValueError):  # ValueError: a NUL in the charset's name
            continue
    return payload.decode("windows-1252", errors="replace")


# Lines that start the quoted history of a reply, in the languages mail clients use.
_ATTRIBUTION = re.compile(
    r"^(on\b.*\bwrote:?|le\b.*\ba écrit\s*:?|am\b.*\bschrieb.*:?|el\b.*\bescribió:?"
    r"|op\b.*\bschreef.*:?|il\b.*\bha scritto:?|em\b.*\bescreveu:?"
    r"|-{2,}\s*(original message|ursprüngliche nachricht|message d'origine"
    r"|mensaje original|forwarded message)\s*-{2,}|_{10,}"
    r"|(from|von|de|van|da)\s*:.*@.*)$",
    re.IGNORECASE)


def new_part_of_reply(text: str) -> str:
    """The text a person wrote in a reply, without the quoted earlier mail (lines
    after an "On ... wrote:" line or an Outlook header block, and ``>`` lines). The
    whole text when nothing would be left."""
    kept: list[str] = []
    for line in text.splitlines():
        bare = line.strip()
        if _ATTRIBUTION.match(bare):
            break
        if bare.startswith(">"):
            continue
        kept.append(line.rstrip())
    result = "\n".join(kept).strip()
    return result or text.strip()


_CONFIRMING = frozenset({
    "yes", "y", "confirmed", "confirm", "fixed", "resolved", "solved",       # English
    "oui", "confirmé", "confirme", "résolu", "resolu", "réglé",               # French
    "ja", "bestätigt", "bestaetigt", "behoben", "gelöst", "geloest",         # German
    "sí", "si", "confirmado", "resuelto", "arreglado", "solucionado",        # Spanish
    "sim", "resolvido", "corrigido",                                         # Portuguese
    "opgelost", "bevestigd",                                                 # Dutch
    "risolto", "confermato",                                                 # Italian
})


def confirms(text: str) -> bool:
    """True when the first line of a reply begins with a confirming word ("yes",
    "confirmed", "fixed", or the same in French, German, Spanish, Portuguese, Dutch or
    Italian), case-insensitive."""
    for line in text.splitlines():
        words = re.findall(r"\w+", line.casefold())
        if words:
            return words[0] in _CONFIRMING
    return False


_THANKING = frozenset({
    "thanks", "thank", "you", "thx", "ty", "many", "very", "much", "a", "lot", "cheers",
    "great", "ok", "okay", "merci", "beaucoup", "danke", "vielen", "dank", "schön",
    "gracias", "muchas", "obrigado", "obrigada", "muito", "bedankt", "je", "wel",
    "grazie", "mille",
})
_THANKS_OPENERS = frozenset({"thanks", "thank", "thx", "ty", "cheers", "merci", "danke",
                             "vielen", "gracias", "muchas", "obrigado", "obrigada",
                             "bedankt", "dank", "grazie"})


def only_thanks(text: str) -> bool:
    """True when what the person wrote is a thank-you and nothing else ("Thanks!",
    "Thank you very much", "Merci beaucoup"): a courtesy, neither a complaint that
    reopens a ticket nor a confirmation. A signature line after it is allowed."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > 3:
        return False
    words = re.findall(r"\w+", lines[0].casefold())
    return (bool(words) and words[0] in _THANKS_OPENERS and len(words) <= 6
            and all(word in _THANKING for word in words)
            and all(len(re.findall(r"\w+", line)) <= 3 for line in lines[1:]))


_SCORE = re.compile(r"^\W*([1-5])(?:\s*(?:/|out of|of|sur|von|de)\s*5)?(?![\d.,]\d)\b",
                    re.IGNORECASE)


def satisfaction(text: str) -> int | None:
    """The score 1-5 a reply to the closure mail's satisfaction question gives on its
    first line ("5", "4/5", "3 - ok"), or None when the first line is no such answer."""
    for line in text.splitlines():
        if line.strip():
            found = _SCORE.match(line.strip())
            return int(found.group(1)) if found else None
    return None
