"""NO_ORG_NUMBER: organisasjonsnummer, 9 digits starting with 8 or 9 (mod 11)."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, RecognizerResult

from .checksums import digits_of, orgnr_ok
from .cues import END, NO_PREVIOUS_GROUP, START, apply, boost
from .no_pattern_recognizer import NoPatternRecognizer


class NoOrgNumberRecognizer(NoPatternRecognizer):
    ENTITY = "NO_ORG_NUMBER"
    PATTERNS = [
        Pattern(
            "orgnr NNN NNN NNN",
            r"(?<![\d.])" + NO_PREVIOUS_GROUP + r"[89]\d{2} \d{3} \d{3}" + END,
            0.55,
        ),
        Pattern("orgnr with MVA", r"(?<![\w.])(?:NO\s?)?[89]\d{8}\s?MVA\b", 0.9),
        Pattern("orgnr (9 digits)", START + r"[89]\d{8}" + END, 0.35),
    ]
    NEEDS = {"orgnr NNN NNN NNN": " ", "orgnr with MVA": "M"}
    CORES = {
        "orgnr NNN NNN NNN": r"[89]\d{2} \d{3} \d{3}",
        "orgnr (9 digits)": r"[89]\d{8}",
    }
    # What every match starts with (its digits), or holds ("NO 9…" starts with letters).
    SHAPES = {"orgnr NNN NNN NNN": r"\d{3} \d{3} \d{3}", "orgnr (9 digits)": r"\d{9}"}
    HOLDS = {"orgnr with MVA": r"\d{9}"}
    # Whole lowercased words. "Org. nr." is the tokens "org", ".", "nr", ".": "org" alone
    # is a cue (it is seldom a word of its own otherwise).
    CONTEXT = [
        "org",
        "orgnr",
        "org.nr",
        "org.nummer",
        "orgnummer",
        "orgnummeret",
        "organisasjonsnummer",
        "organisasjonsnummeret",
        "organisasjonsnr",
        "org.no",
        "foretaksnummer",
        "foretaksnummeret",
        "foretaksnr",
        "foretaksregisteret",
        "enhetsregisteret",
        "brreg",
        "brønnøysund",
        "brønnøysundregistrene",
        "altinn",
        "mva",
        "mva-nummer",
        "mva-nr",
        "as",
        "asa",
    ]
    # The registers also come after the number: "… 946890839 ikke validerer i Altinn".
    # Right after a company name's legal form: "Solsikke Barnehage SA (9…)", "Bygg AS, 9…".
    AFTER_COMPANY = regex.compile(
        r"\p{Lu}\w*[ \t]+(?:AS|ASA|SA|ANS|DA|NUF|ENK|BA|KS|IKS|SF)[ \t]*[,(:-]?[ \t]*$"
    )

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if orgnr_ok(digits_of(pattern_text)) else False

    CUES_AFTER = 3

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        results = apply(self.cues, text, results)
        for r in results:
            if r.score < 0.5 and self.AFTER_COMPANY.search(text, max(r.start - 60, 0), r.start):
                r.score = boost(r.score)
        return results
