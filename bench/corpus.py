"""A labelled corpus of Norwegian CRM, support, mail and chat texts, generated from a seed.

Values are made the way people write them (spaced and unspaced fødselsnumre, D-, H-, Tenor
and 2032-rule numbers, +47/0047/(+47) phones in 2-2-2-2 and 3-2-3 groups, dotted accounts,
spaced org numbers, IBANs with and without spaces, IPv4/IPv6, plates with and without a
space, addresses with and without postnummer), among hard negatives that look alike (order
and invoice numbers failing the checksums, KID, amounts, dates, times, case, ticket and
tracking numbers, versions, 8-digit numbers that are not phones, surnames and first names
that are also words). The name pools are the generator's own and overlap the detector's
lists only partly: the corpus measures generalisation, not recall of a word list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
W_ACCOUNT = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
W_ORG = (3, 2, 7, 6, 5, 4, 3, 2)

FIRST = [
    "Kari",
    "Ola",
    "Anne",
    "Per Olav",
    "Ingrid",
    "Lars",
    "Sigrid",
    "Magnus",
    "Nora",
    "Jonas",
    "Anne-Marit",
    "Jan Erik",
    "Hanne",
    "Eirik",
    "Torunn",
    "Sigve",
    "Marthe",
    "Hallvard",
    "Ragnhild",
    "Amund",
    "Solveig",
    "Kristoffer",
    "Ida",
    "Martin",
    "Silje",
    "Henrik",
    "Mohammed",
    "Fatima",
    "Ahmed",
    "Aisha",
    "Yusuf",
    "Zahra",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Agnieszka",
    "Thi Lan",
    "Minh",
    "Abdirahman",
    "Hodan",
    "Mehmet",
    "Elif",
    "Priya",
    "Arjun",
    "Oksana",
    "Dmytro",
    "Gunnhild",
    "Bjørnar",
    "Øyvind",
    "Åsne",
    "Tiril",
    "Synnøve",
    "Mari-Ann",
    "Karl Johan",
    "Liv Marit",
    "Tor Arne",
    "Siv",
    "Per",
    "Liv",
    "Tor",
]
LAST = [
    "Nordmann",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Lie",
    "Vik",
    "Strand",
    "Bakken",
    "Solberg",
    "Bråthen",
    "Kvalheim",
    "Fjellstad",
    "Myrvold",
    "Sæbø",
    "Aasheim",
    "Ødegård",
    "Tveit",
    "Hovde",
    "Ali",
    "Ahmed",
    "Hussain",
    "Khan",
    "Mohamed",
    "Abdi",
    "Nowak",
    "Kowalczyk",
    "Wiśniewska",
    "Nguyen",
    "Tran",
    "Pham",
    "Yilmaz",
    "Demir",
    "Singh",
    "Kovalenko",
    "Hansen-Ali",
    "Berg-Olsen",
    "Grønli",
    "Rønningen",
    "Skaar",
]
STREETS = [
    "Storgata",
    "Kirkeveien",
    "Parkveien",
    "Skolegata",
    "Granveien",
    "Bjørkelia",
    "Sjøgata",
    "Fjellveien",
    "Markveien",
    "Trondheimsveien",
    "Nedre Slottsgate",
    "Karl Johans gate",
    "Haraldsgata",
    "Elvebakken",
    "Solbakken",
    "Lindeveien",
    "Kongens gate",
    "Torggata",
    "Ekebergveien",
    "Holmenkollveien",
]
PLACES = [
    ("0155", "Oslo"),
    ("5003", "Bergen"),
    ("7011", "Trondheim"),
    ("4006", "Stavanger"),
    ("9008", "Tromsø"),
    ("8006", "Bodø"),
    ("3015", "Drammen"),
    ("1606", "Fredrikstad"),
    ("2317", "Hamar"),
    ("6002", "Ålesund"),
]
DOMAINS = [
    "example.no",
    "firma.no",
    "online.no",
    "gmail.com",
    "kommune.no",
    "hotmail.com",
    "bedrift.as",
    "uio.no",
    "telenor.no",
]
COMPANIES = [
    "Fjordkraft",
    "Nordlys Handel",
    "Bergen Bygg",
    "Kystfisk",
    "Datahuset",
    "Trønder Transport",
]


@dataclass
class Doc:
    id: str
    style: str
    text: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (type, start, end)


class Builder:
    """Appends text pieces and remembers where labelled values landed."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[str, int, int]] = []

    def add(self, text: str, label: str | None = None) -> Builder:
        if label:
            self.spans.append((label, self.length, self.length + len(text)))
        self.parts.append(text)
        self.length += len(text)
        return self

    def text(self) -> str:
        return "".join(self.parts)


class Values:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    # --- identifiers --------------------------------------------------------------------

    def fnr(self) -> str:
        r = self.r
        while True:
            born = date(1940, 1, 1) + timedelta(days=r.randrange(365 * 65))
            day, month = born.day, born.month
            kind = r.random()
            if kind < 0.12:
                day += 40  # D-nummer
            elif kind < 0.2:
                month += 40  # H-nummer
            elif kind < 0.28:
                month += 80  # Tenor synthetic
            remainder = r.choice((1, 2, 3)) if r.random() < 0.1 else 0  # from 2032
            digits = [
                int(c) for c in f"{day:02d}{month:02d}{born.year % 100:02d}{r.randrange(1000):03d}"
            ]
            k1 = (remainder - sum(w * d for w, d in zip(W1, digits, strict=True))) % 11
            if k1 == 10:
                continue
            k2 = (11 - sum(w * d for w, d in zip(W2, [*digits, k1], strict=True)) % 11) % 11
            if k2 == 10:
                continue
            number = "".join(map(str, digits)) + f"{k1}{k2}"
            return number if r.random() < 0.6 else f"{number[:6]} {number[6:]}"

    def phone(self) -> str:
        r = self.r
        if r.random() < 0.1:
            return r.choice(
                [
                    "+46 70 123 45 67",
                    "+44 20 7946 0958",
                    "+48 512 345 678",
                    "+49 30 12345678",
                    "+1 212 555 0147",
                ]
            )
        while True:  # only numbers that are allocated (phonenumbers knows the plan)
            n = (
                f"{r.choice('49')}{r.randrange(10**7):07d}"
                if r.random() < 0.8
                else f"{r.choice(['22', '23', '55', '73', '51', '38'])}{r.randrange(10**6):06d}"
            )
            if phonenumbers.is_valid_number(phonenumbers.parse(n, "NO")):
                break
        grouped = r.choice([n, f"{n[:3]} {n[3:5]} {n[5:]}", f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}"])
        prefix = r.choice(["", "", "+47 ", "+47", "0047 ", "(+47) "])
        return prefix + grouped

    def email(self, first: str, last: str) -> str:
        r = self.r
        f, la = _ascii(first.split()[0]).lower(), _ascii(last).lower()
        local = r.choice(
            [f"{f}.{la}", f"{f}{la}", f"{f[0]}{la}", f"{f}.{la}{r.randrange(99)}", f"{f}_{la}"]
        )
        return f"{local}@{r.choice(DOMAINS)}"

    def _kontonr(self) -> str:
        while True:
            base = f"{self.r.randrange(1000, 9999)}{self.r.randrange(10**6):06d}"
            check = (11 - sum(w * int(c) for w, c in zip(W_ACCOUNT, base, strict=True)) % 11) % 11
            if check < 10:
                return base + str(check)

    def account(self) -> str:
        n = self._kontonr()
        return self.r.choice(
            [
                f"{n[:4]}.{n[4:6]}.{n[6:]}",
                f"{n[:4]}.{n[4:6]}.{n[6:]}",
                f"{n[:4]} {n[4:6]} {n[6:]}",
                n,
            ]
        )

    def orgnr(self) -> str:
        r = self.r
        while True:
            base = f"{r.choice('89')}{r.randrange(10**7):07d}"
            check = (11 - sum(w * int(c) for w, c in zip(W_ORG, base, strict=True)) % 11) % 11
            if check < 10:
                n = base + str(check)
                return r.choice([f"{n[:3]} {n[3:6]} {n[6:]}", n, f"NO {n} MVA"])

    def iban(self) -> str:
        r = self.r
        country, body = r.choice(
            [
                ("NO", self._kontonr()),
                ("NO", self._kontonr()),
                ("DE", f"{r.randrange(10**18):018d}"),
                ("SE", f"{r.randrange(10**20):020d}"),
                ("GB", f"NWBK{r.randrange(10**14):014d}"),
                ("DK", f"{r.randrange(10**14):014d}"),
            ]
        )
        check = stdnum_iban.calc_check_digits(f"{country}00{body}")
        compact = f"{country}{check}{body}"
        if r.random() < 0.5:
            return compact
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))

    def ip(self) -> str:
        r = self.r
        if r.random() < 0.7:
            return ".".join(str(r.randrange(1, 255)) for _ in range(4))
        groups = [f"{r.randrange(0x10000):x}" for _ in range(8)]
        return r.choice(
            [
                ":".join(groups),
                f"2001:db8::{groups[0]}:{groups[1]}",
                f"fe80::{groups[2]}:{groups[3]}",
            ]
        )

    def plate(self) -> str:
        r = self.r
        letters = r.choice(["EL", "EK", "EV", "AB", "BS", "DN", "KH", "SV", "TR", "VH", "ZE"])
        digits = f"{r.randrange(10000, 99999)}"
        return f"{letters} {digits}" if r.random() < 0.6 else f"{letters}{digits}"

    def card(self) -> str:
        r = self.r
        base = r.choice(["4", "51", "52", "55"]) + "".join(str(r.randrange(10)) for _ in range(13))
        base = base[:15]
        n = base + luhn.calc_check_digit(base)
        return f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:]}" if r.random() < 0.6 else n

    def address(self) -> str:
        r = self.r
        number = f"{r.randrange(1, 120)}{r.choice(['', '', '', 'B', 'A', ' C'])}"
        street = f"{r.choice(STREETS)} {number}"
        if r.random() < 0.6:
            code, place = r.choice(PLACES)
            street += f", {code} {place}"
        return street

    def person(self) -> tuple[str, str, str]:
        first, last = self.r.choice(FIRST), self.r.choice(LAST)
        return first, last, f"{first} {last}"

    # --- look-alikes that are not personal data ------------------------------------------

    def negative(self) -> str:
        r = self.r
        order = "".join(str(r.randrange(10)) for _ in range(11))
        return r.choice(
            [
                f"Ordrenummer {order}.",
                f"Fakturanr {r.randrange(10**7, 10**8)}.",
                f"KID {r.randrange(10**10, 10**11)}{r.randrange(10)}.",
                f"Beløp kr {r.randrange(1, 99)} {r.randrange(100, 999)},{r.randrange(10, 99)}.",
                f"Totalt {r.randrange(1000, 9999)},- inkl. mva.",
                f"Møtet er {r.randrange(1, 28):02d}.{r.randrange(1, 12):02d}.2026 kl. "
                f"{r.randrange(8, 17)}:{r.choice(['00', '15', '30', '45'])}.",
                f"Sak {r.randrange(2020, 2027)}-{r.randrange(10**5, 10**6):06d} er opprettet.",
                f"Ticket #{r.randrange(10**7, 10**8)} lukket.",
                f"Sporingsnummer 7070{r.randrange(10**10, 10**11)}.",
                f"Oppdatert til versjon {r.randrange(1, 9)}.{r.randrange(20)}.{r.randrange(20)}."
                f"{r.randrange(100)}.",
                f"Kundenummer {r.randrange(10**7, 10**8)} i systemet.",
                f"Vi har {r.randrange(10**7, 10**8)} rader i databasen.",
                "Det koster 250 kr per dag.",
                "Liv og helse er viktigst.",
                "Vi tok en tur i Berg og Vik i helgen.",
                "Strand og bad hele uka.",
                "Per i dag er saken under behandling.",
                "Tor ble stengt pga. været.",
                "Bakken var glatt i morges.",
                f"Produktkode AB{r.randrange(10000, 99999)} er utsolgt.",
                f"Postboks {r.randrange(1, 999)}.",
            ]
        )


def _ascii(text: str) -> str:
    return (
        text.replace("æ", "ae")
        .replace("ø", "o")
        .replace("å", "a")
        .replace("Æ", "Ae")
        .replace("Ø", "O")
        .replace("Å", "A")
        .replace("ś", "s")
        .replace(" ", "")
    )


# --- styles -------------------------------------------------------------------------------


def crm(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add("Kontaktkort\nNavn: ").add(full, "PERSON").add(
        f"\nStilling: Innkjøpssjef i {v.r.choice(COMPANIES)} AS\n"
    )
    b.add("Org.nr: ").add(v.orgnr(), "NO_ORG_NUMBER").add("\nE-post: ")
    b.add(v.email(first, last), "EMAIL_ADDRESS").add("\nMobil: ").add(v.phone(), "PHONE_NUMBER")
    b.add("\nAdresse: ").add(v.address(), "NO_ADDRESS").add("\n")
    if v.r.random() < 0.5:
        b.add("Fødselsnummer: ").add(v.fnr(), "NO_FODSELSNUMMER").add("\n")
    b.add(f"Notat: {v.negative()} ")
    if v.r.random() < 0.5:
        b.add("Ønsker utbetaling til konto ").add(v.account(), "NO_BANK_ACCOUNT").add(".")
    b.add("\n")


def support(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(f"Sak {v.r.randrange(10**5, 10**6)}: ")
    b.add(v.r.choice(["Feil på faktura", "Mangler levering", "Refusjon", "Innlogging"]))
    b.add("\nKunden ").add(full, "PERSON").add(" ringte fra ").add(v.phone(), "PHONE_NUMBER")
    b.add(f". {v.negative()} ")
    choice = v.r.random()
    if choice < 0.25:
        b.add("Oppga fødselsnummer ").add(v.fnr(), "NO_FODSELSNUMMER").add(" for identifisering.")
    elif choice < 0.45:
        b.add("Refusjon til IBAN ").add(v.iban(), "IBAN_CODE").add(".")
    elif choice < 0.6:
        b.add("Innlogging feilet fra IP ").add(v.ip(), "IP_ADDRESS").add(" flere ganger.")
    elif choice < 0.75:
        b.add("Gjelder bilen med regnr. ").add(v.plate(), "NO_LICENSE_PLATE").add(".")
    elif choice < 0.85:
        b.add("Betalte med kort ").add(v.card(), "CREDIT_CARD").add(" men fikk ikke kvittering.")
    else:
        b.add("Pakken skal til ").add(v.address(), "NO_ADDRESS").add(".")
    b.add(f" {v.negative()}\nSaksbehandler: ")
    _, _, agent = v.person()
    b.add(agent, "PERSON").add("\n")


def mail(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    addr = v.email(first, last)
    b.add("From: ").add(full, "PERSON").add(" <").add(addr, "EMAIL_ADDRESS").add(">\n")
    b.add("To: ").add("kundeservice@butikken.no", "EMAIL_ADDRESS")
    b.add("\nSubject: Angående bestilling\n\n")
    b.add(v.r.choice(["Hei,\n\n", "Hei!\n\n", "God dag,\n\n"]))
    b.add(f"{v.negative()} ")
    if v.r.random() < 0.5:
        b.add("Jeg bor i ").add(v.address(), "NO_ADDRESS").add(" og har ikke fått pakken. ")
    if v.r.random() < 0.4:
        b.add("Pengene kan settes inn på kontonummer ").add(v.account(), "NO_BANK_ACCOUNT")
        b.add(". ")
    b.add(f"{v.negative()}\n\n")
    b.add(v.r.choice(["Med vennlig hilsen\n", "Mvh\n", "Hilsen\n", "Vennlig hilsen\n"]))
    b.add(full, "PERSON").add("\nTlf: ").add(v.phone(), "PHONE_NUMBER").add("\n")


def chat(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    lower_first = first.lower() if v.r.random() < 0.5 else first
    b.add("kunde: hei, det er ").add(lower_first, "PERSON").add(" 😊\n")
    b.add("agent: Hei! Hva kan jeg hjelpe med?\n")
    choice = v.r.random()
    if choice < 0.35:
        b.add("kunde: kan dere ringe meg på ").add(v.phone(), "PHONE_NUMBER").add(" ?\n")
    elif choice < 0.6:
        b.add("kunde: mailen min er ").add(v.email(first, last), "EMAIL_ADDRESS").add("\n")
    elif choice < 0.8:
        b.add("kunde: fnr er ").add(v.fnr(), "NO_FODSELSNUMMER").add(" hvis dere trenger det\n")
    else:
        b.add("kunde: bilen er ").add(v.plate(), "NO_LICENSE_PLATE").add(" 🚗 står ute\n")
    b.add(f"agent: Takk! {v.negative()}\n")
    b.add(v.r.choice(["kunde: tusen takk 👍\n", "kunde: ok takk\n", "kunde: supr, takk!!\n"]))


STYLES = {"crm": crm, "support": support, "mail": mail, "chat": chat}


def generate(n: int = 2000, seed: int = 20261124) -> list[Doc]:
    rng = random.Random(seed)
    values = Values(rng)
    docs = []
    for i in range(n):
        style = list(STYLES)[i % len(STYLES)]
        builder = Builder()
        STYLES[style](values, builder)
        docs.append(Doc(f"{style}-{i}", style, builder.text(), builder.spans))
    return docs


def long_mail(size: int = 50_000, seed: int = 7) -> str:
    """One e-mail body of about ``size`` characters (a long thread)."""
    rng = random.Random(seed)
    values = Values(rng)
    parts, length = [], 0
    while length < size:
        builder = Builder()
        mail(values, builder)
        parts.append(builder.text())
        length += len(parts[-1])
    return "\n> ".join(parts)[:size]
