"""Valid test identifiers, computed (check digits), not copied from anywhere."""

from __future__ import annotations

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def fnr(ddmmyy: str, individual: int = 123, k1_remainder: int = 0) -> str:
    """A number with valid control digits; k1_remainder 1-3 gives the rules from 2032."""
    for n in range(individual, individual + 200):
        d = [int(c) for c in f"{ddmmyy}{n:03d}"]
        k1 = (k1_remainder - sum(w * x for w, x in zip(W1, d, strict=True))) % 11
        if k1 == 10:
            continue
        k2 = (11 - sum(w * x for w, x in zip(W2, [*d, k1], strict=True)) % 11) % 11
        if k2 < 10:
            return f"{ddmmyy}{n:03d}{k1}{k2}"
    raise ValueError(ddmmyy)


def kontonr(prefix: str = "1234567890") -> str:
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    for last in range(10):
        base = prefix[:9] + str(last)
        check = (11 - sum(w * int(c) for w, c in zip(weights, base, strict=True)) % 11) % 11
        if check < 10:
            return base + str(check)
    raise ValueError(prefix)


def orgnr(prefix: str = "91234567") -> str:
    """A valid organisasjonsnummer starting with ``prefix`` (8 digits, first 8 or 9)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    for n in range(int(prefix), int(prefix) + 100):
        base = f"{n:08d}"
        check = (11 - sum(w * int(c) for w, c in zip(weights, base, strict=True)) % 11) % 11
        if check < 10:
            return base + str(check)
    raise ValueError(prefix)


def card(prefix: str, length: int = 16) -> str:
    """A Luhn-valid card number: ``prefix``, sevens, then the check digit."""
    body = prefix + "7" * (length - 1 - len(prefix))
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    from stdnum import iban as stdnum_iban

    return f"{country}{stdnum_iban.calc_check_digits(country + '00' + bban)}{bban}"
