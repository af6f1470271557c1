from __future__ import annotations

import pytest
from glemsel.detectors.name_finder import find_names
from glemsel.detectors.name_lexicon import name_lists


def _people(found, text: str) -> list[str]:
    return [m for t, m in found(text) if t == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kunden Kari Nordmann ringte i dag", "Kari Nordmann"),
        ("Med vennlig hilsen\nAnne-Marit Lie", "Anne-Marit Lie"),
        ("Møte med Jan Erik Berg om saken", "Jan Erik Berg"),
        ("Kontaktperson: Mohammed Ali", "Mohammed Ali"),
        ("Fatima Hussain har sendt søknad", "Fatima Hussain"),
        ("Hei Kari, takk for sist", "Kari"),
        ("hei, det er kari her", "kari"),
    ],
)
def test_names(found, text: str, name: str) -> None:
    assert name in _people(found, text)


# --- a first name alone, after a cue or simply known ----------------------------------------
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Takk for praten, Sigve.", "Sigve"),
        ("Hei og velkommen! Nå snakker du med Henriette.", "Henriette"),
        ("Hei Torgeir og Yasmin,\nvedlagt er kontrakten.", "Torgeir"),
        ("Hei Torgeir og Yasmin,\nvedlagt er kontrakten.", "Yasmin"),
        ("Takk for svaret.\n\nMvh\nGunnhild", "Gunnhild"),
        ("Vennlig hilsen\n\nBjarte", "Bjarte"),
        ("## Notat fra Ingvild: kunden er informert", "Ingvild"),
        ("Saken er overført til Ståle.", "Ståle"),
        ("Eli og Jostein har fått beskjed.", "Eli"),
        ("Eli og Jostein har fått beskjed.", "Jostein"),
        ("Marte bekrefter at beløpet er betalt.", "Marte"),
        ("Hei Per, kan du se på dette?", "Per"),
        ("Navn: Liv\nTelefon: 48 00 00 00", "Liv"),
        ("Videresendt til 2. linje (Siv).", "Siv"),
        ("God morgen Aslak!", "Aslak"),
        ("Dear Ingeborg,\nplease see the attached file.", "Ingeborg"),
    ],
)
def test_first_name_alone(found, text: str, name: str) -> None:
    assert name in _people(found, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Spør Hans-Petter om nøkkelen.", "Hans-Petter"),
        ("Hei Kari-Anne!", "Kari-Anne"),
        ("Anne-Grete har ferie denne uka.", "Anne-Grete"),
        ("Møtet ledes av Tor-Arne Skaug-Hovland.", "Tor-Arne Skaug-Hovland"),
    ],
)
def test_hyphenated_names(found, text: str, name: str) -> None:
    assert name in _people(found, text)


# --- chat transcripts -----------------------------------------------------------------------
def test_chat_speakers_are_names_roles_are_not(found) -> None:
    chat = (
        "[08:15] Torgeir: har noen sett fakturaen fra Elvia?\n"
        "[08:16] Agent: Jeg sjekker det nå.\n"
        "08:17 - Marianne Aas: den ligger i innboksen min\n"
        "08:18 Kundeservice: Takk!\n"
        "Jonas (Kundeservice): Da lukker jeg saken.\n"
        "08:19 Bot: Saken er lukket.\n"
        "08:20 System: Økten er avsluttet."
    )
    people = _people(found, chat)
    assert {"Torgeir", "Marianne Aas", "Jonas"} <= set(people)
    assert not {"Agent", "Kundeservice", "Bot", "System"} & set(people)


def test_speaker_unknown_to_the_lists() -> None:
    text = "[10:01] Tsiuri Beridze: hei, har dere åpent i dag?\n[10:02] Agent: Ja, til 18."
    assert ("Tsiuri Beridze", 0.8) in [(text[s:e], score) for s, e, score in find_names(text)]


def test_a_log_line_with_a_time_stamp_is_not_a_speaker(found) -> None:
    assert _people(found, "2026-05-07 12:33 Kjøretøy: EB66343") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("kunde: hei, det er gunhild strand her", "gunhild strand"),
        ("kunde: min samboer ivar ringte i går", "ivar"),
        ("Du: jeg heter åse marie lie forresten", "åse marie lie"),
        ("21:56 kari-mette: noen som vet status?", "kari-mette"),
        ("Gjest: hei eg heiter solveig nesheim", "solveig nesheim"),
        ("kunde: det er liv her", "liv"),
        ("[11:02] Besøkende: jeg heter pham thi lan", "pham thi lan"),
    ],
)
def test_lowercase_chat_names(found, text: str, name: str) -> None:
    assert name in _people(found, text)


def test_lowercase_everyday_words_stay_words(found) -> None:
    assert _people(found, "kunde: det er liv i saken nå, og per i dag er alt bra") == []


# --- names from Norway's immigrant groups ---------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "Przemysław Wróblewski",  # Polish
        "Rūta Paulauskienė",  # Lithuanian
        "Ubah Warsame",  # Somali
        "Senait Tesfamariam",  # Eritrean
        "Pham Thi Lan",  # Vietnamese, surname first
        "Maricel Bautista",  # Filipino
        "Gökhan Özdemir",  # Turkish
        "Yaroslav Tkachenko",  # Ukrainian
        "Kajan Sivalingam",  # Sri Lankan Tamil
        "Zarghona Popal",  # Afghan
        "Shabnam Hosseini",  # Iranian
        "Imran Chaudhry",  # Pakistani
        "Deepika Venkatesan",  # Indian
        "Somchai Srisuk",  # Thai
        "Abdulrahman Al-Khatib",  # Syrian
        "Lukasz Wisniewski",  # Polish written without diacritics
        "İsmail Şahin",  # Turkish capital İ
    ],
)
def test_immigrant_names(found, name: str) -> None:
    assert name in _people(found, f"Saken gjelder {name}, som flyttet hit i fjor.")


def test_surname_endings_mark_unlisted_surnames(found) -> None:
    assert "Grzegorz Brzęczyszczykiewicz" in _people(
        found, "Søknaden fra Grzegorz Brzęczyszczykiewicz er mottatt."
    )


# --- cues that take names no list knows -----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fra: Anahit Sargsyan <anahit.s@example.com>\nTil: post@firma.no", "Anahit Sargsyan"),
        ("Kontaktperson: Bishnu Thapa Magar\nTelefon: 45 67 89 01", "Bishnu Thapa Magar"),
        ("Med vennlig hilsen\nWanjiku Kariuki\nRådgiver", "Wanjiku Kariuki"),
        ("Jeg heter Dorj Batbayar og ringer om regningen.", "Dorj Batbayar"),
        ("Snakket med professor Fjellvang om saken.", "Fjellvang"),
        ("Navn;Telefon;E-post\nTamar Chikovani;45000000;t@c.no", "Tamar Chikovani"),
        ("Kunde: Hansen, Kari\nTelefon: 99 88 77 66", "Hansen, Kari"),
    ],
)
def test_cued_names(found, text: str, name: str) -> None:
    assert name in _people(found, text)


# --- what is not a name ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Det koster 200 kr per dag.",
        "Abonnementet koster 349 kr per måned.",
        "Liv og helse er viktig.",
        "Vi tok en tur i Berg i helgen.",
        "Strand og bad hele dagen.",
        "Per i dag har vi ingen saker.",
        "Tor ble stengt på grunn av været.",
        "Bakken var glatt i morges.",
        "Storm i vente, så vi stenger tidlig.",
        "Mai er travel for oss.",
    ],
)
def test_words_that_are_also_names(found, text: str) -> None:
    assert _people(found, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kontaktperson:\nFullt navn:\nNavn:\nForsikringstaker:",
        "CRM – kunde\nFullt navn: \nKunde-ID: K-1234",
        "Melding fra kunde:\nRenten økes med 2 % fra mars.",
        "Melding fra kunde:\nMin kollega har sendt skjemaet.",
        "Melding fra kunde:\nFødselsnummeret mitt er feil i systemet.",
        "Kunde: Ordrenummer 12345678 er ikke levert.",
        "kunde: Flyet SK 4035 var forsinket.",
        "Navn\tMedlemsnr\tMobil\tAdresse",
    ],
)
def test_labels_and_first_words_of_lines(found, text: str) -> None:
    assert _people(found, text) == []


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        ("Mvh\nRune\nSaksbehandler\nFjordlys Elektro AS", "Fjordlys Elektro AS"),
        ("Hilsen\nKundesenteret\nNordkyst Fisk AS", "Kundesenteret"),
        ("Beste hilsen\nDrift\nTrønder Bygg AS", "Drift"),
        ("Kopi til Kari Nordmann AS for arkivet.", "Kari Nordmann"),
        ("Bilen rygget inn i porten ved Lyngtunet 14B.", "Lyngtunet"),
        ("Ny adresse er Olav Kyrres gate 12.", "Olav Kyrres"),
        ("Fakturaen er sendt til Bergen Kommune.", "Bergen"),
        ("agent: Takk! Storm i vente, så vi stenger.", "Storm"),
    ],
)
def test_companies_streets_and_departments(found, text: str, not_a_name: str) -> None:
    people = _people(found, text)
    assert not any(not_a_name in p or p in not_a_name for p in people), people


def test_names_inside_mail_addresses_are_not_reported(found) -> None:
    assert _people(found, "Send kopi til liv.berg@example.no og kari_hansen@firma.no") == []


def test_known_first_name_alone_counts_and_everyday_word_names_need_a_cue(detector) -> None:
    bare = [e for e in detector.analyze("Kari kommer i morgen.") if e.type == "PERSON"]
    word = [e for e in detector.analyze("Liv kommer i morgen.") if e.type == "PERSON"]
    greeted = [e for e in detector.analyze("Hei Liv, kommer du?") if e.type == "PERSON"]
    assert bare and bare[0].score >= 0.5
    assert not word, "a name that is also a word needs a cue"
    assert greeted and greeted[0].score >= 0.5


def test_lists_are_properly_sized() -> None:
    first, last, ambiguous, never = name_lists()
    assert len(first) > 5000 and len(last) > 4000
    assert {"per", "liv", "berg", "strand"} <= ambiguous
    assert "kontaktperson" in never


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fornavn = Ingrid\nEtternavn = Solheim", "Solheim"),
        ("Abonnementet står på navnet Tor Ivar Moe", "Tor Ivar Moe"),
        ("fakturaen er på navnet linh tran", "linh tran"),
        ("kan du ringe stian i morra?", "stian"),
    ],
)
def test_key_value_exports_names_and_calls(found, text: str, name: str) -> None:
    assert name in _people(found, text)


@pytest.mark.parametrize(
    "text", ["ringe tilbake i morgen", "Navnet stemmer ikke med kortet", "antall = 12"]
)
def test_call_and_name_words_alone_are_not_names(found, text: str) -> None:
    assert _people(found, text) == []
