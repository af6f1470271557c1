"""PERSON: people's names without an NER model, from shipped name lists, cues and context.

Evidence, strongest first:
- a cue that puts a name in a slot: a form label ("Navn:", "Kontakt |", "Agent:"), a chat
  speaker ("[14:01] Helen:", "Kari (Kundeservice):"), the line after a sign-off ("Mvh",
  "Vennlig hilsen"), a greeting ("Hei", "Takk,", "Dear"), a title ("fru", "professor"), a
  mail header ("Ola <ola@x.no>"), a relation ("snakket med", "på vegne av", "min kone"), a
  table column headed "Navn". A slot takes a name no list knows, as long as its shape fits
  the slot (the value fills the label's line, the greeted name is followed by punctuation …)
  and it is not a never-name (not_names.txt: labels, roles, greetings; places.txt);
- known first names and surnames (first_names.txt, last_names.txt; diacritics folded,
  hyphenated, double and possessive names joined; surnames known by their endings, -ski,
  -auskienė, -enko, -oğlu, or by letters Norwegian never uses, ş, ł, ė): a run of
  capitalised words led by a known first name, or made of known names only ("Nguyen Van
  An"), an unknown word before a known surname ("Selam Haile"), a known first name alone;
- in lowercase chat, known names right after a cue ("hei, det er liv marit pettersen her");
- a name found once is a name wherever else it stands in the same text.
Names that are also everyday words (ambiguous_names.txt: Per, Liv, Berg, Strand) count only
after a cue or inside a longer name. Runs that end in AS/ASA/Kommune … are organisations,
and runs followed by "gate"/"vei" or a house number are streets.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .cues import Cues, apply, own_result
from .name_finder import Scores, find_names
from .name_lexicon import name_lists
from .no_pattern_recognizer import NoEntityRecognizer


class NoPersonRecognizer(NoEntityRecognizer):
    ENTITY = "PERSON"
    CONTEXT = [
        "hei",
        "hallo",
        "heisann",
        "hilsen",
        "mvh",
        "navn",
        "kontaktperson",
        "kunde",
        "kunden",
        "saksbehandler",
        "snakket",
        "ringte",
        "kjære",
        "ansatt",
        "søker",
        "fornavn",
        "etternavn",
        "signert",
        "kontakt",
        "søkeren",
        "pasient",
        "leder",
        "medarbeider",
        "kollega",
        "helsing",
    ]
    # The scores of the finder's kinds of evidence (name_finder.Scores).
    CUED_KNOWN, CUED, FULL = Scores.CUED_KNOWN, Scores.CUED, Scores.FULL
    FIRST_AND_WORD, FIRST_ONLY, LOWER = Scores.FIRST_AND_WORD, Scores.FIRST_ONLY, Scores.LOWER
    UNKNOWN_AND_LAST = Scores.UNKNOWN_AND_LAST

    def load(self) -> None:
        name_lists()
        self.cues = Cues(self.context or [])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        # The context words raise a name's score as Presidio's context step would, here, so
        # that step needs no tokens (see cues.apply).
        results = [own_result(self, "PERSON", s, e, score) for s, e, score in find_names(text)]
        return apply(self.cues, text, results) if results else results
