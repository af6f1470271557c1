"""The check digits of Norwegian identifiers and payment cards, written once.

- mod 11 (weights per identifier): kontonummer (11 digits), organisasjonsnummer (9 digits),
  the fødselsnummer's second control digit K2; 11 → 0, 10 is never valid;
- the fødselsnummer's first control digit K1: (Σ w1·d1..9 + K1) mod 11 ∈ {0, 1, 2, 3}
  (the rule for numbers issued from 2032; numbers issued before give 0);
- Luhn (payment cards).

python-stdnum has kontonr and orgnr, but not the 2032 rule; one module keeps the
detectors, the corpus generator and the demo data on the same arithmetic.
"""

from __future__ import annotations

W_FNR_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W_FNR_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
W_ACCOUNT = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
W_ORG = (3, 2, 7, 6, 5, 4, 3, 2)


def digits_of(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def mod11_check(digits: str, weights: tuple[int, ...]) -> int | None:
    """The mod-11 control digit for ``digits`` (as many as there are weights), or None
    where the remainder gives 10 (no valid number has that body)."""
    check = (11 - sum(w * int(c) for w, c in zip(weights, digits, strict=False)) % 11) % 11
    return None if check == 10 else check


def mod11_ok(digits: str, weights: tuple[int, ...]) -> bool:
    """The last digit is the mod-11 control digit of the ones before it."""
    if len(digits) != len(weights) + 1 or not digits.isdigit():
        return False
    return mod11_check(digits[:-1], weights) == int(digits[-1])


def fnr_k1_ok(digits: str) -> bool:
    """K1 of an 11-digit fødselsnummer, by the rule from 2032 (which old numbers meet)."""
    d = [int(c) for c in digits[:10]]
    return (sum(w * x for w, x in zip(W_FNR_K1, d, strict=False)) + d[9]) % 11 in {0, 1, 2, 3}


def fnr_control_ok(digits: str) -> bool:
    """Both control digits of an 11-digit fødselsnummer (no date check)."""
    return (
        len(digits) == 11 and digits.isdigit() and fnr_k1_ok(digits) and mod11_ok(digits, W_FNR_K2)
    )


def account_ok(digits: str) -> bool:
    """An 11-digit kontonummer's mod-11 control digit."""
    return mod11_ok(digits, W_ACCOUNT)


def orgnr_ok(digits: str) -> bool:
    """A 9-digit organisasjonsnummer's mod-11 control digit."""
    return mod11_ok(digits, W_ORG)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_check(body: str) -> str:
    """The Luhn digit that completes ``body``."""
    return str(
        (
            10
            - sum(
                (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2) if i % 2 == 0 else int(c)
                for i, c in enumerate(reversed(body))
            )
            % 10
        )
        % 10
    )
