"""NO_BANK_ACCOUNT: kontonummer, 11 digits, usually written NNNN.NN.NNNNN (mod 11)."""

from __future__ import annotations

from presidio_analyzer import Pattern, RecognizerResult

from .checksums import account_ok, digits_of
from .cues import DOCUMENTS, END, NO_PREVIOUS_GROUP, START, apply
from .no_pattern_recognizer import NoPatternRecognizer


def is_valid(number: str) -> bool:
    return account_ok(digits_of(number))


class NoBankAccountRecognizer(NoPatternRecognizer):
    ENTITY = "NO_BANK_ACCOUNT"
    PATTERNS = [
        Pattern("kontonummer NNNN.NN.NNNNN", r"(?<![\d.])\d{4}\.\d{2}\.\d{5}(?![\d]|\.\d)", 0.85),
        Pattern(
            "kontonummer NNNN NN NNNNN",
            r"(?<![\d.])" + NO_PREVIOUS_GROUP + r"\d{4} \d{2} \d{5}" + END,
            0.6,
        ),
        Pattern("kontonummer (11 digits)", START + r"\d{11}" + END, 0.3),
    ]
    NEEDS = {"kontonummer NNNN.NN.NNNNN": ".", "kontonummer NNNN NN NNNNN": " "}
    # What every match starts with (the pattern's digits, its edges left out).
    SHAPES = {
        "kontonummer NNNN.NN.NNNNN": r"\d{4}\.\d{2}\.\d{5}",
        "kontonummer NNNN NN NNNNN": r"\d{4} \d{2} \d{5}",
        "kontonummer (11 digits)": r"\d{11}",
    }
    # Whole lowercased words: the inflected forms are listed, and the verbs of payments
    # ("Lønn utbetales til …", "kan overføres til …", "trekkes fra …").
    CONTEXT = [
        "kontonummer",
        "kontonummeret",
        "kontonumre",
        "kontonr",
        "konto",
        "kontoen",
        "kontoer",
        "bankkonto",
        "bankkontoen",
        "bankkontonummer",
        "lønnskonto",
        "lønnskontoen",
        "brukskonto",
        "brukskontoen",
        "sparekonto",
        "sparekontoen",
        "kontohaver",
        "kto",
        "bank",
        "innbetaling",
        "innbetales",
        "innbetalt",
        "utbetaling",
        "utbetalingen",
        "utbetales",
        "utbetalt",
        "overfør",
        "overføre",
        "overføres",
        "overført",
        "overføring",
        "overføringen",
        "betales",
        "refusjon",
        "refusjonen",
        "refunderes",
        "refundert",
        "tilbakebetales",
        "tilbakebetaling",
        "trekkes",
        "belastes",
        "avdrag",
        "depositum",
        "depositumet",
        "lønn",
        "lønnen",
        "pengene",
        "penger",
        "beløpet",
        "innskudd",
        # English and field names ("Account no", "bank_account", "payout_account")
        "account",
        "accounts",
        "acct",
        "payout",
        "beneficiary",
        "bankaccount",
        "utbetalingskonto",
        # nynorsk
        "pengane",
        "betalast",
        "utbetalast",
        "innbetalast",
        "overførast",
        "overførte",
    ]

    def validate_result(self, pattern_text: str) -> bool | None:
        # Valid keeps the form's score: an unformatted 11-digit number needs context.
        return None if is_valid(pattern_text) else False

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        # "KID 12345678903", "Ordrenummer …": a document's number, whatever its digits;
        # the written forms of an account stay accounts.
        return apply(self.cues, text, results, labels=DOCUMENTS, labelled=lambda r: r.score < 0.5)
