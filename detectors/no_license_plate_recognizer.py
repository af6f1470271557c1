"""NO_LICENSE_PLATE: two letters and 4-5 digits ("EL 12345", "AB12345", "EK 1234").

The same shape is common in product, case and flight codes ("NS 8405", "DY 1234"), so a
plate mostly needs a vehicle in its sentence. The recognizer weighs that itself, because vehicle
words are mostly compounds Presidio's whole-word context cannot see ("Leasingbil",
"parkeringsbot", "Bompengefaktura") and chat misspells them ("rgenr", "bieln"):
- strong cues anywhere in the sentence: words with bil, parker, bompeng, kjøretøy, skilt,
  verksted, EU-kontroll … in them, car makes (Tesla, Volvo …), regnr and its typos;
- weak cues only just before the plate: forsikring, skade, leasing, ferje ("Forsikringen
  gjelder EV 68292", "Skade meldt 3/11: YA 37178");
- never after a word that names another code ("Flyet DY 1234", "sak AB 12345", "NS 8405");
- lowercase ("regnr sv90189") only right after a strong cue;
- with no cue at all, only the standard form "AB 12345", with a low score.
Letters: Norwegian plates use neither I, M, O nor Q.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .cues import Table, key_words, own_result
from .no_pattern_recognizer import NoEntityRecognizer


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The fast path's pre-filter ([A-Za-z]{2}[ -]?[1-9]\d{3}) is a necessary condition of this.
_PLATE = re.compile(
    # two letters of one case, nothing word-like before them (checked after the first
    # letter, so that re skips a word's inner letters fast)
    r"[A-HJ-LNPR-Za-hj-lnpr-z](?<![\w-].)(?:(?<=[A-Z])[A-HJ-LNPR-Z]|(?<=[a-z])[a-hj-lnpr-z])"
    r"[ -]?[1-9]\d{3,4}"
    # not a decimal part (",50"), but the next cell of a comma-separated row (",8342063921")
    r"(?![\w-]|[.:/]\d|,\d{1,3}(?![\d.:/])|,-)"
)
_LETTERS = re.compile(r"[^\W\d_]+(?:[.-][^\W\d_]+)*")
# Cue substrings, compounds included: "Leasingbil", "firmabilen", "parkeringsbot", "EU-kontroll".
_STRONG = re.compile(
    r"(?<!mo)(?<!sta)(?<!ha)bil(?!de|ag|l?ett|ater|al\b|lig)"
    r"|parker|bompeng|bomstasjon|bomring|bomveg|bomvei|bomavgift|bompass|autopass|kjøretøy"
    r"|køyretøy|kjennemerk|registreringsn|regnr|reg\.nr|regnummer|(?<!fra)(?<!at)(?<!ad)skilt"
    r"|nummerplat|vognkort|dekkskift|dekkhotell|piggdekk|vinterdekk|sommerdekk|helårsdekk|verksted"
    r"|eu-?kontroll|vrakpant|vraking|eierskift|omregistr|kasko|trafikkstasjon|vegvesen"
    r"|kilometerstand|km-stand|kjørelengde|tilhenger|campingvogn|motorsykkel|moped|traktor"
    r"|rygget|rygga|kollidert|kollisjon|påkjør|borttau|tauet|taua|piggfri|drivstoff|tankkort"
    r"|^p-(?:bot|plass|hus|avgift)"
)
_STRONG_WORDS = _set(
    """reg regnr rnr kjennemerke vogn mc tesla volvo toyota volkswagen vw audi bmw mercedes
    benz nissan skoda škoda peugeot ford kia hyundai polestar renault opel mazda subaru
    mitsubishi suzuki citroën citroen honda porsche lexus byd xpeng fiat jaguar jeep dacia
    cupra ioniq enyaq corolla yaris passat e-golf xc40 xc60 xc90 ex30 id.4
    id.3 rav4 taycan mg mg4 mg5 zs seat mini smart lada chevrolet dodge land rover range
    alfa romeo maxus iveco scania man nio zeekr aiways ora genesis lucid rivian lynk chrysler
    cadillac buick infiniti saab ds leapmotor tiguan golf octavia superb kodiaq leaf ariya
    qashqai outback forester e-208 e-2008 zoe megane kona niro ev6 ev9 sorento sportage tucson
    santa mach-e mustang kuga transit caddy crafter sprinter vito vivaro berlingo partner
    proace hiace hilux amarok model
    yamaha kawasaki ducati ktm harley harley-davidson triumph piaggio vespa aprilia husqvarna
    enfield benelli indian mv agusta cfmoto zero motorcykkel motorsykkel mc-en scooter
    plate licenseplate license-plate licence registration registrering numberplate"""
)
_WEAK = re.compile(
    r"forsikr|skade|leasing|ferje|ferge|garasje|lade|drosje|taxi|henger|solgt|^bot$|^boten$"
)
# A charge for a vehicle: "boten for ZE 30313", "gebyret på PA84881", "fakturaen for KF 13161".
_CHARGE = re.compile(r"(?:[\w-]*bot|\w*gebyr|\w*faktura|\w*avgift|bompenger)(?:en|et|a|ene)?")
_FOR = frozenset(["for", "på", "til"])
_AMOUNT = re.compile(r"\s*(?:kr\b|kroner|kronene|nok\b|,-|stk\b|km\b|mil\b|%)", re.IGNORECASE)
_IS = frozenset(["er", "e", "var", "min", "mitt", "mi", "vårt", "nr", "nummer"])
# Typos of chat: one letter swapped, missing or doubled ("rgenr", "bieln", "reegnr", "rgnr").
_FUZZY = ("regnr", "bilen", "bilnr", "skiltet", "kjennemerke", "bilnummer")
_NOT_FUZZY = _set("regn bien bile ilen")  # words of their own
# The word right before names another kind of code.
_NOT_AFTER = _set(
    """fly flyet flight flighten flyavgang avgang avgangen rute ruten flyrute ns iso en din
    nek iec standard standarden sak saken saksnr saksnummer ticket ordre ordren ordrenr
    ordrenummer faktura fakturanr fakturanummer ref referanse kundenr kundenummer produkt
    produktkode vare varenr varenummer artikkel art art.nr serienr serienummer versjon
    kontrakt kontraktnr avtale avtalenr avtalenummer polise polisen polisenr polisenummer
    bestilling bestillingsnr kode id rom sone kvittering lisens modellnr delenr etter iht
    jf ihht modell model"""
)
# Lowercase letter pairs that are words ("bilen er 2019-modell" has no plate).
_LOWER_WORDS = _set(
    """er en et av se de du vi ut da ja jo la ha ta nr kr kl ca tv pc ps re fx ex nb pr
    ny he ah eh hu ka no"""
)
_REGNR_WORDS = _set(
    """reg regnr reg.nr rnr regnummer registreringsnummer registreringsnr kjennemerke
    kjennemerket skilt skiltet skiltnr skiltnummer bilnr bilnummer nummerplate plate
    licenseplate license_plate licence_plate plate_number platenumber registration
    vehicle_reg"""
)
_ABBREVIATIONS = _set(
    "nr reg tlf tel mob ca kl ref jf bl dvs osv mht pga vedr st gt evt ang mnd kr ca f"
)
_STANDARD = re.compile(r"[A-Z]{2} [1-9]\d{4}")
# A word naming the code that follows: "Kampanjekode", "Mobilnummer", "ordrenr", "Billetten".
_CODE = re.compile(r"(?:kode|nummer|nummeret|nr|id|billett|billetten)$")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
# The key right before a value: '"licensePlate": "', 'vehicle_reg=', 'Kjennemerke;'.
_KEY = re.compile(r"([A-Za-z][\w.-]*)[\"']?[ \t]*[:=][ \t]*[\"']?$")


class NoLicensePlateRecognizer(NoEntityRecognizer):
    ENTITY = "NO_LICENSE_PLATE"
    CONTEXT = [
        "bil",
        "bilen",
        "regnr",
        "reg.nr",
        "registreringsnummer",
        "kjennemerke",
        "skilt",
        "skiltnummer",
        "kjøretøy",
        "vogn",
        "parkert",
        "parkering",
        "reg",
        "el-bil",
        "elbil",
        "tesla",
        "varebil",
    ]
    # Without a vehicle word only the standard form "AB 12345" counts, and weakly: codes
    # of other kinds rarely take two capitals, one space and five digits.
    UPPER, LOWER, SHAPE = 0.85, 0.8, 0.55
    LEFT, RIGHT, WEAK_WORDS, LOWER_WORDS = 90, 50, 3, 3

    def load(self) -> None:
        self._context = frozenset(w.lower() for w in self.context or [])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        table: Table | None = None
        for m in _PLATE.finditer(text):
            lower = m.group()[0].islower()
            # a column headed "Regnr" or "Kjennemerke": the header is the cue
            table = table or Table(text)
            header = table.header(m.start(), m.end())
            if header is not None and any(_regnr(w) or self._strong(w) for w in key_words(header)):
                score = self.LOWER if lower else self.UPPER
                results.append(own_result(self, "NO_LICENSE_PLATE", m.start(), m.end(), score))
                continue
            before = _LETTERS.findall(_left(text, m.start(), self.LEFT).lower())
            if before and "_" not in before[-1]:
                # a JSON key or field name: "licensePlate", "vehicle_reg"
                key = _KEY.search(text, max(0, m.start() - 40), m.start())
                if key is not None:
                    before += [w for w in key_words(key.group(1)) if w not in before]
            # "VW ID.4 SV 80613": a model code before the plate ends in a digit, and its
            # letters ("id") name no other code
            model = text[max(0, m.start() - 2) : m.start()].rstrip()[-1:].isdigit()
            if before and not model and (before[-1] in _NOT_AFTER or before[-2:-1] == ["henhold"]):
                continue
            if before and _regnr(before[-1] + m.group()[:2].lower()):
                continue  # "reg.nr 12345", "REG NR 12345": the letters end the cue word
            named = bool(before) and (
                _regnr(before[-1]) or (len(before) > 1 and _regnr(before[-2]) and before[-1] in _IS)
            )
            charged = (
                len(before) > 1
                and _CHARGE.fullmatch(before[-2])
                and (before[-1] in _FOR if "faktura" not in before[-2] else before[-1] == "for")
            )
            if lower and m.group()[:2] in _LOWER_WORDS and not (named or charged):
                continue  # "bilen er 2019": "regnr de 51327", "skiltet er ha 25566" are plates
            if _AMOUNT.match(text, m.end()):
                continue  # "gebyret på de 1500 kronene"
            if lower:
                cued = named or charged or any(self._strong(w) for w in before[-self.LOWER_WORDS :])
            else:
                after = _LETTERS.findall(_right(text, m.end(), self.RIGHT).lower())
                cued = (
                    charged
                    or any(self._strong(w) for w in before + after)
                    or any(_WEAK.search(w) for w in before[-self.WEAK_WORDS :])
                    or self._context.intersection(before + after) != set()
                )
            if cued:
                score = self.LOWER if lower else self.UPPER
                results.append(own_result(self, "NO_LICENSE_PLATE", m.start(), m.end(), score))
            elif _STANDARD.fullmatch(m.group()) and not (before and _CODE.search(before[-1])):
                results.append(own_result(self, "NO_LICENSE_PLATE", m.start(), m.end(), self.SHAPE))
        return results

    def _strong(self, word: str) -> bool:
        return (
            word in _STRONG_WORDS
            or word.split("-")[0] in _STRONG_WORDS  # "vw-en", "tesla-en"
            or word in self._context
            or bool(_STRONG.search(word))
            or (len(word) >= 4 and word not in _NOT_FUZZY and any(_near(word, k) for k in _FUZZY))
        )


def _regnr(word: str) -> bool:
    """A word for the registration number itself: "regnr", "reg.nr", "kjennemerke", "rgenr"."""
    return word in _REGNR_WORDS or (
        word not in _NOT_FUZZY and (_near(word, "regnr") or _near(word, "bilnr"))
    )


def _left(text: str, start: int, width: int) -> str:
    """The sentence before ``start``, at most ``width`` characters."""
    lo = max(0, start - width)
    cut = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        if m.group() == "\n" or _ends_sentence(text, m.start()):
            cut = m.end()
    return text[cut:start]


def _right(text: str, end: int, width: int) -> str:
    """The sentence after ``end``, at most ``width`` characters."""
    hi = min(len(text), end + width)
    for m in _SENTENCE_END.finditer(text, end, hi):
        if m.group() == "\n" or _ends_sentence(text, m.start()):
            return text[end : m.start()]
    return text[end:hi]


def _ends_sentence(text: str, dot: int) -> bool:
    """ "!", "?", or a full stop before a capital, not after an abbreviation ("regnr.",
    "Reg. nr.", "kl."): "8. mai" and "ca. 5" go on."""
    if text[dot] != ".":
        return True
    j = dot + 1
    while j < len(text) and text[j] in " \t":
        j += 1
    if j < len(text) and (text[j].islower() or text[j].isdigit()):
        return False
    i = dot
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    word = text[i:dot].lower()
    if i > 0 and text[i - 1] == ".":
        return False  # "Reg.nr."
    return not (word in _ABBREVIATIONS or word.endswith("nr") or len(word) == 1)


def _near(word: str, key: str) -> bool:
    """One letter inserted, dropped or two neighbours swapped (no substitutions: "filen" is
    no "bilen")."""
    if word == key:
        return True
    a, b = len(word), len(key)
    if a == b:
        diff = [i for i in range(a) if word[i] != key[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == key[diff[1]]
            and word[diff[1]] == key[diff[0]]
        )
    if abs(a - b) != 1:
        return False
    short, long_ = (word, key) if a < b else (key, word)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
