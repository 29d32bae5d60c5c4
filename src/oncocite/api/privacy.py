"""Personal details out of questions before they reach a log.

Patients write their name, date of birth, NHS number or phone number into
questions. By default the log holds no question text at all (api/observe.py logs
what a question was read as); with ONCOCITE_LOG_QUESTIONS=1 it holds the text after
`redact`, which replaces these with a tag saying what was removed. Patterns cannot
find every name, which is why the text is opt-in.
"""

from __future__ import annotations

import re

__all__ = ["redact"]

# A capitalised word (Jane, O'Neill, Smith-Jones), not an acronym such as HER2 or TNBC.
_NAME = r"\b[A-Z](?:[a-z]|['’][A-Z])[A-Za-z'’-]{0,40}\b"

# Order matters: the most specific patterns first, so a date is not taken for a phone.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("[email]", re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")),
    (
        "[name]",
        re.compile(
            r"\b(?:my name is|my name's|i am called|i'm called|this is|call me)\s+"
            r"(?:(?:dr|mr|mrs|ms|miss)\.?\s+)?[A-Za-z][A-Za-z'-]{0,40}(?:\s+[A-Z][A-Za-z'-]{0,40}){0,2}",
            re.IGNORECASE,
        ),
    ),
    # "I'm Jane Smithson", "I am Priya": a capitalised word after "I'm" is taken for a
    # name ("I'm Jewish" is removed too: better too much than a name in a log), while
    # "I'm HER2 positive" and "I am on tamoxifen" stay.
    ("[name]", re.compile(rf"\b(?i:i'm|i’m|im|i am)\s+{_NAME}(?:\s+{_NAME}){{0,2}}")),
    # "Hi, Jane Smithson here", and a sign-off closing the message ("Thanks, Jane").
    (
        "[name]",
        re.compile(
            rf"^\s*(?:(?i:hi|hello|hey|dear)\b[\s,!]*)?{_NAME}(?:\s+{_NAME}){{0,2}}"
            r"[\s,]+(?i:here)\b"
        ),
    ),
    (
        "[name]",
        re.compile(
            r"\b(?i:thanks|thank you|many thanks|regards|kind regards|best wishes|cheers|"
            rf"love|sincerely|yours)[,.!]?\s+{_NAME}(?:\s+{_NAME}){{0,2}}[\s.!]*$"
        ),
    ),
    (
        "[date of birth]",
        re.compile(
            r"\b(?:born(?: on)?|dob|d\.o\.b\.?|date of birth)\s*:?\s*"
            r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\s+\d{2,4}"
            r"|[A-Za-z]{3,9}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4})",
            re.IGNORECASE,
        ),
    ),
    ("[date]", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")),
    (
        "[NHS number]",
        re.compile(r"\b(?:nhs(?: number| no\.?)?\s*:?\s*)?\d{3}[ -]?\d{3}[ -]?\d{4}\b", re.I),
    ),
    (
        "[hospital number]",
        re.compile(
            r"\b(?:hospital|patient|mrn|medical record)\s*(?:number|no\.?|#)?\s*(?:is\s+)?:?\s*"
            r"[A-Z]{0,3}\d{5,10}\b",
            re.IGNORECASE,
        ),
    ),
    ("[phone]", re.compile(r"(?<!\w)\+?\d[\d ()-]{8,16}\d(?!\w)")),
    (
        "[postcode]",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
    ),
]


def redact(text: str) -> str:
    """`text` with names, emails, phone numbers, dates of birth, NHS and hospital
    numbers and postcodes replaced by what they were ("[email]")."""
    for tag, pattern in _PATTERNS:
        text = pattern.sub(tag, text)
    return text
