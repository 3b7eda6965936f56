"""Name the hiring company from the way postings talk about it ("Join Proton", "About Ello")."""

from __future__ import annotations

import re

from ..urls import strip_invisible
from . import fields as F

_NOT_COMPANY = {"we", "you", "our", "the", "this", "that", "it", "us", "they", "here", "there", "team", "company",
                "job", "role", "position", "about", "why", "what", "who", "how", "remote", "your", "an", "a",
                "everyone", "anyone", "applicants", "candidates", "benefits", "salary", "location"}
_NAME = r"([A-Z][\w&.'’+-]*(?: [A-Z][\w&.'’+-]*){0,2})"
_PATTERNS = (
    re.compile(rf"^About {_NAME}\s*:?$"),
    re.compile(rf"\bWhy (?:you should )?(?:join|work (?:at|for)) {_NAME}\b"),
    re.compile(rf"\bWorking (?:at|for) {_NAME}\s*$"),
    re.compile(rf"\b{_NAME} is an equal (?:employment )?opportunity employer"),
    re.compile(rf"(?:^|[.!] )Join {_NAME}(?= and | as |,| to | in | on | —| -|!|\.|$)"),
    re.compile(rf"(?:^|[.!] )At {_NAME},? we\b"),
    re.compile(rf"^{_NAME} (?:is|are) (?:looking|hiring|seeking|searching)\b"),
    re.compile(rf"^{_NAME} is (?:a|an|the|one of|building|unlocking|on a mission|creating|making)\b"),
    re.compile(rf"^(?:About|Über|À propos de|Acerca de) {_NAME}\s*$"),
)
#: "Tidewater runs the booking platform...": a name only if the posting's links or addresses carry it too.
_WEAK = re.compile(rf"^{_NAME} [a-z]+s\b")


def clean_name(name: str) -> str:
    return F.plain(strip_invisible(name)).strip(" ·|-–")


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def company_in_text(lines: list[str], body: str) -> tuple[str, str] | None:
    """Return (name, evidence line) of the name the text most often presents as the employer.

    Each phrase naming it counts once; a name that is also the domain of an address or link in the
    posting (BigchainDB, engjob@bigchaindb.com) counts double, so "Diode Drive" loses to "Diode".
    """
    domains = {m.split("@")[-1].split(".")[-2].lower() for m in F.emails(body)}
    domains |= set(re.findall(r"https?://(?:www\.|jobs\.|careers\.)?([a-z0-9-]+)\.", body.lower()))
    scores: dict[str, list] = {}
    for index, line in enumerate(lines):
        text = F.plain(line)
        for pattern in _PATTERNS:
            for m in pattern.finditer(text):
                name = m.group(1).strip(" .,'’")
                if name.split()[0].lower() not in _NOT_COMPANY:
                    scores.setdefault(name, [0, index, line.strip()])[0] += 1
        weak = _WEAK.match(text)
        if weak and _squash(weak.group(1)) in domains:
            scores.setdefault(weak.group(1), [0, index, line.strip()])
    for name, entry in scores.items():
        if _squash(name) in domains:
            entry[0] += 2
    if not scores:
        return None
    name, (_, _, line) = max(scores.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
    return name, line
