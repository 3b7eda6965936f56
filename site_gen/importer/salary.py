"""Find a pay range in the way postings write it: "USD $51,850 to $171,450", "€60k–80k", "₹12 LPA"."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Currency symbols and prefixes, longest first so "US$" wins over "$".
_SYMBOLS = {"US$": "USD", "USD$": "USD", "CA$": "CAD", "C$": "CAD", "CAD$": "CAD", "AU$": "AUD", "A$": "AUD",
            "AUD$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "SG$": "SGD", "R$": "BRL", "MX$": "MXN",
            "$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "₩": "KRW", "₽": "RUB", "₺": "TRY",
            "zł": "PLN", "Kč": "CZK", "Fr.": "CHF", "kr": None}
_CODES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "INR", "JPY", "CNY", "SEK", "NOK", "DKK", "PLN", "CZK",
          "HUF", "RON", "BGN", "BRL", "MXN", "ARS", "COP", "CLP", "SGD", "HKD", "ZAR", "NGN", "KES", "EGP", "AED",
          "SAR", "ILS", "TRY", "UAH", "RUB", "KRW", "PHP", "IDR", "MYR", "THB", "VND", "PKR", "BDT", "TWD")
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CURRENCY = rf"\b(?:{'|'.join(_CODES)})\b\s?(?:{_SYMBOL_RE})?|(?:{_SYMBOL_RE})"
_NUMBER = r"\d{1,3}(?:[,.' ’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_SUFFIX = r"\s?(?:k|K|m|M|mil|lakhs?|lacs?|LPA|L)\b"
_AMOUNT = rf"(?P<cur@>{_CURRENCY})?\s?(?P<num@>{_NUMBER})(?P<suf@>{_SUFFIX})?\s?(?P<post@>{_CURRENCY})?"
_RANGE = re.compile(
    r"(?P<lead>(?:up to|bis zu|jusqu'à|max(?:imum)?\.?|from|ab|starting at|min(?:imum)?\.?)\s+)?"
    + _AMOUNT.replace("@", "1")
    + r"(?:\s*(?:-|–|—|to|bis|à|a|and|und|~)\s*" + _AMOUNT.replace("@", "2") + r")?",
    re.I)
_PERIODS = (
    ("hour", r"per\s+hour|an\s+hour|/\s?h(?:ou)?r\b|/\s?h\b|hourly|p\.?\s?h\.?\b|pro\s+stunde|/\s?stunde|stundensatz|de l'heure|/heure"),
    ("day", r"per\s+day|a\s+day|/\s?day\b|daily|day\s?rate|p\.?\s?d\.?\b|pro\s+tag|/\s?tag\b|tagessatz|par jour|/jour"),
    ("week", r"per\s+week|a\s+week|/\s?w(?:ee)?k\b|weekly|pro\s+woche"),
    ("month", r"per\s+month|a\s+month|/\s?mo(?:nth)?\b|monthly|p\.?\s?m\.?\b|pro\s+monat|/\s?monat|monatlich|par mois|/mois|mensuel|"
              r"por\s+m[eê]s|al\s+mes|/\s?m[eê]s\b|mensal|miesięcznie|/\s?mies"),
    ("year", r"per\s+(?:year|annum)|a\s+year|/\s?y(?:ea)?r\b|p\.?\s?a\.?(?!\w)|annual(?:ly)?|yearly|annum|pro\s+jahr|"
             r"/\s?jahr|jährlich|jahresgehalt|brutto\s?/\s?jahr|par an\b|/an\b|annuel|\bLPA\b|\bCTC\b|\bOTE\b|"
             r"por\s+a[ñn]o|al\s+a[ñn]o|anual|rocznie|per\s+jaar|bruto\s+per\s+jaar"),
)
_PAY_WORDS = re.compile(r"salary|salaries|compensation|\bpay\b|paid|\brate\b|wage|stipend|remuneration|gehalt|vergütung|"
                        r"salaire|rémunération|sueldo|salario|salário|wynagrodzenie|salaris|stipendio|\bctc\b|\bote\b|\bbase\b|package|budget|€|£|\$|₹", re.I)

#: Words that make a bare amount in a sentence a pay range ("We pay between $180k and $220k").
_SENTENCE_PAY = re.compile(r"salary|gehalt|salaire|compensation|\bpay\b|\bpays\b|\bpaid\b|\bbetween\b|\brange\b|"
                           r"\bOTE\b|\bwages?\b", re.I)
#: Money that is not pay: funding, revenue, valuation ("we raised $20M").
_MONEY_NOT_PAY = re.compile(r"\braised?\b|\bfunding\b|\bfunded\b|\brevenue\b|\bvaluation\b|\bvalued at\b|"
                            r"\bseries [a-e]\b|\binvest(?:ors?|ment)\b|\bARR\b|\bseed round\b", re.I)


@dataclass(frozen=True)
class Pay:
    """A parsed pay range: what goes into the posting's ``salary``."""

    min: float | None
    max: float | None
    currency: str
    period: str
    period_stated: bool  #: False when the period was read from the size of the amounts

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.min is not None:
            out["min"] = _whole(self.min)
        if self.max is not None:
            out["max"] = _whole(self.max)
        out["currency"] = self.currency
        out["period"] = self.period
        return out


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _number(text: str, suffix: str) -> float:
    """Read "51,850", "60.000", "120'000", "45.50", "1 200" with a k/M/lakh multiplier."""
    digits = text.replace(" ", "").replace("'", "").replace("’", "")
    groups = re.fullmatch(r"\d{1,3}(?:([.,])\d{3})+(?:([.,])(\d{1,2}))?", digits)
    if groups:
        thousands = groups.group(1)
        whole = digits[: groups.start(2)] if groups.group(2) else digits
        value = float(whole.replace(thousands, ""))
        if groups.group(3):
            value += float("0." + groups.group(3))
    else:
        value = float(digits.replace(",", "."))
    mult = {"k": 1e3, "m": 1e6, "mil": 1e6, "l": 1e5, "lpa": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5}
    return value * mult.get(suffix.strip().lower(), 1) if suffix else value


def _period(text: str) -> str | None:
    for name, pattern in _PERIODS:
        if re.search(pattern, text, re.I):
            return name
    return None


def _currency(*tokens: str | None) -> str | None:
    """Name the currency: an ISO code wins over a symbol ("CAD $" is CAD)."""
    for token in tokens:
        if token:
            code = re.match(r"[A-Z]{3}", token)
            if code and code.group(0) in _CODES:
                return code.group(0)
            if _SYMBOLS.get(token.strip()):
                return _SYMBOLS[token.strip()]
    return None


def find_pay(line: str, labelled: bool = False) -> Pay | None:
    """Read the first pay range in ``line``; ``labelled`` means the line is a "Salary:" field."""
    if not labelled and (not _PAY_WORDS.search(line) or _MONEY_NOT_PAY.search(line)):
        return None
    for m in _RANGE.finditer(line):
        pay = _pay_from_match(line, m, labelled)
        if pay is not None:
            return pay
    return None


def _pay_from_match(line: str, m: re.Match[str], labelled: bool) -> Pay | None:
    suf1, suf2 = m.group("suf1") or "", m.group("suf2") or ""
    india = any(s.strip().lower() in ("lpa", "l", "lakh", "lakhs", "lac", "lacs") for s in (suf1, suf2) if s)
    currency = _currency(m.group("cur1"), m.group("post1"), m.group("cur2"), m.group("post2"))
    if currency is None and india:
        currency = "INR"
    if currency is None:
        return None
    if m.group("num2") is None and re.fullmatch(r"\d{1,2}", m.group("num1")) and not suf1 and not _period(line):
        return None  # "3 $" in running text is no salary
    low = _number(m.group("num1"), suf1)
    high = _number(m.group("num2"), suf2) if m.group("num2") else None
    if high is not None and suf2 and not suf1 and low < _number(m.group("num2"), "") * 10:
        low = _number(m.group("num1"), suf2)  # "€60–80k": the "k" belongs to both ("60.000–80k" keeps its own)
    if high is not None and high < low:
        return None
    lead = (m.group("lead") or "").strip().lower()
    if high is None and lead in ("up to", "bis zu", "jusqu'à", "max", "max.", "maximum"):
        low, high = None, low
    tail = line[m.end(): m.end() + 40]
    head = line[max(0, m.start() - 40): m.start()]
    period = _period(tail) or _period(head) or (_period(line) if labelled else None)
    if india and period is None:
        period = "year"
    stated = period is not None
    if period is None:
        top = high if high is not None else low
        if top is None or top < 10_000 or not (labelled or _SENTENCE_PAY.search(line)):
            return None
        period = "year"
    return Pay(low, high, currency, period, stated)
