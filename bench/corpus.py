"""A labelled corpus of Norwegian CRM, support, mail and chat texts, generated from a seed.

Values are made the way people write them (spaced and unspaced fødselsnumre, D-, H-, Tenor
and 2032-rule numbers, +47/0047/(+47) phones in 2-2-2-2, 3-2-3 and 4-4 groups and unspaced
after verbs and labels, dotted, spaced and bare accounts, spaced org numbers, IBANs with and
without spaces, IPv4/IPv6, plates with and without a space and in lower case, Visa,
Mastercard (51-55 and 2221-2720) and Amex 4-6-5 cards, addresses on many street endings,
multi-word and suffix-less streets, with and without postnummer), in many templates per
system: contact cards, dated activity logs, CSV exports, tickets with headers, e-mails with
greetings, sign-offs and company signatures, timestamped chat transcripts with speaker names
and role prefixes, some of it in nynorsk and in lower case. Values sit where real text puts
them: at the end of a line before a timestamped line, before a date or time on the same line,
inside parentheses, after inflected words and verbs. Names come from Norwegian and from
Norway's largest immigrant groups, with their diacritics; first names stand alone in
greetings, thanks, sign-offs and chat prefixes.

Hard negatives look alike: order, invoice, receipt, member and customer numbers (the 9- and
11-digit ones failing the checksums, the 8-digit ones often shaped like phones), KID, amounts,
dates, times, case, ticket and tracking numbers, versions, flight numbers, standards and
roads that look like plates, storage bins and airport gates that look like addresses, company
names, form labels, chat role prefixes, and surnames and first names that are also words.
Every labelled identifier passes its checksum (phones: ``phonenumbers.is_valid_number``), and
a document in which an unlabelled 9-, 11- or card-length number would pass one is drawn
again. The name pools are the generator's own and overlap the detector's lists only partly:
the corpus measures generalisation, not recall of a word list.

Label conventions: PERSON is the name without titles; NO_ADDRESS includes ``, NNNN Poststed``
when written; a phone includes its +47/0047 prefix; an org number written ``NO … MVA``
includes both.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers
from glemsel.detectors.checksums import (
    W_ACCOUNT,
    W_ORG,
    fnr_control_ok,
    luhn_check,
    luhn_ok,
    mod11_check,
)
from glemsel.detectors.checksums import W_FNR_K1 as W1
from glemsel.detectors.checksums import W_FNR_K2 as W2
from glemsel.detectors.checksums import (
    account_ok as _account_digits_ok,
)
from glemsel.detectors.checksums import (
    orgnr_ok as _orgnr_digits_ok,
)
from stdnum import iban as stdnum_iban

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


# fmt: off
# --- more names, streets and places (the generator's own, written from common usage) -----

FIRST_MORE = [
    "Åse", "Bente", "Gro", "Turid", "Randi", "Terje", "Geir", "Rune", "Knut", "Trond",
    "Stian", "Håkon", "Vegard", "Sindre", "Eivind", "Kjetil", "Frode", "Arild", "Ståle",
    "Helge", "Vidar", "Øystein", "Jørgen", "Emil", "Sander", "Tobias", "Mathias", "Aksel",
    "Emma", "Sofie", "Maja", "Frida", "Ingeborg", "Vilde", "Thea", "Hedda", "Marit", "Berit",
    "Bjørg", "Grethe", "Inger", "Astrid", "Signe", "Torill", "Unni", "Wenche", "Hege",
    "Trine", "Camilla", "Linn", "Mette", "Tone", "Heidi", "Lene", "Janne", "Kristin",
    "Marianne", "Oddvar", "Svein", "Asbjørn", "Leif", "Tormod", "Gudrun", "Målfrid",
    "Eldbjørg", "Halvor", "Ivar", "Steinar", "Åshild", "Ragnar", "Sverre", "Njål", "Brynjar",
    "Vebjørn", "Ådne", "Torstein", "Borghild", "Idun", "Oline", "Live", "Embla", "Selma",
    "Helen", "Nils Petter", "Hans Christian", "Ole Martin", "Tor Inge", "Kari Anne",
    "Ann Helen", "Eva Lill",
]
HYPHENATED_FIRST = [
    "Ann-Kristin", "Anne-Lise", "Tor-Egil", "Jan-Erik", "Hans-Petter", "Lise-Lotte",
    "Eva-Marie", "Per-Kristian", "Kari-Anne", "Stine-Marie", "Nils-Otto", "Unn-Heidi",
    "Bjørn-Tore", "Rolf-Arne", "Siv-Elin", "May-Britt", "Jan-Ove", "Hilde-Kristin",
]
MIDDLE = ["Elisabeth", "Marie", "Johanne", "Kristine", "Andreas", "Olav", "Helene", "Emil",
          "Sofie", "Alexander", "Margrethe", "Nikolai"]
LAST_MORE = [
    "Dahl", "Eriksen", "Halvorsen", "Jakobsen", "Moen", "Lund", "Sørensen", "Iversen",
    "Rasmussen", "Amundsen", "Lunde", "Solheim", "Kristoffersen", "Nygård", "Bakke", "Holm",
    "Sandvik", "Lien", "Engen", "Aas", "Ruud", "Haugland", "Ness", "Fossum", "Sæther",
    "Midtbø", "Rønning", "Vestby", "Skjelbred", "Torgersen", "Fagerli", "Sletten", "Bjerke",
    "Tangen", "Gjerde", "Hauge", "Strøm", "Hoel", "Nordby", "Vassbotn", "Ulvestad",
    "Heggelund", "Lillebø", "Øverli", "Haaland", "Aune", "Ødegaard", "Kvam", "Gundersen",
    "Mathisen", "Isaksen", "Fredriksen", "Berntsen", "Paulsen", "Wold", "Pettersen",
    "Thorsen", "Aasen", "Hovland", "Stokke", "Fjeld", "Vatne", "Eide", "Reitan", "Kolstad",
]
# Norway's largest immigrant groups, names as Norwegian registers write them.
ORIGINS: dict[str, tuple[list[str], list[str]]] = {
    "polsk": (
        ["Łukasz", "Paweł", "Małgorzata", "Wojciech", "Michał", "Grzegorz", "Bożena", "Jolanta",
         "Krzysztof", "Dorota", "Sławomir", "Elżbieta", "Joanna", "Marek", "Beata", "Jarosław"],
        ["Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowska", "Zieliński",
         "Szymańska", "Woźniak", "Dąbrowski", "Kozłowska", "Jankowski", "Mazur", "Krawczyk",
         "Grabowski", "Pawłowska", "Michalak", "Nowicka"],
    ),
    "litauisk": (
        ["Tomas", "Mantas", "Rūta", "Aušra", "Giedrė", "Vytautas", "Darius", "Eglė", "Andrius",
         "Žydrūnas", "Jurgita", "Saulius", "Indrė", "Laura", "Rimantas"],
        ["Kazlauskas", "Petrauskienė", "Jankauskas", "Stankevičius", "Vasiliauskas",
         "Žukauskas", "Butkienė", "Paulauskas", "Balčiūnas", "Urbonaitė", "Navickas"],
    ),
    "syrisk": (
        ["Omar", "Rami", "Rania", "Yara", "Khaled", "Nour", "Hala", "Tarek", "Mahmoud", "Lama",
         "Majd", "Ghazal", "Wael", "Bassel"],
        ["Al-Hassan", "Haddad", "Khalil", "Darwish", "Al-Ahmad", "Sabbagh", "Kanaan",
         "Al-Khatib", "Hamdan", "Alhamwi", "Sulaiman"],
    ),
    "somalisk": (
        ["Abdullahi", "Faadumo", "Ayaan", "Mahad", "Ubah", "Sahra", "Liban", "Hibaaq",
         "Abdiaziz", "Nimco", "Farhiya", "Said"],
        ["Warsame", "Farah", "Jama", "Osman", "Hassan", "Mohamud", "Hirsi", "Nur", "Egal",
         "Dirie", "Ismail"],
    ),
    "ukrainsk": (
        ["Olena", "Andrii", "Yuliia", "Serhii", "Iryna", "Bohdan", "Nataliia", "Taras",
         "Mykola", "Viktoriia", "Oleksandr", "Halyna"],
        ["Shevchenko", "Bondarenko", "Tkachenko", "Kovalchuk", "Melnyk", "Boiko", "Kravchenko",
         "Oliinyk", "Lysenko", "Moroz", "Savchuk", "Marchenko"],
    ),
    "eritreisk": (
        ["Yonas", "Semhar", "Filmon", "Mussie", "Senait", "Abrham", "Merhawi", "Luwam",
         "Yohannes", "Helen", "Saba", "Tesfit", "Rahwa"],
        ["Tesfamariam", "Ghebremedhin", "Kidane", "Haile", "Tekle", "Berhane",
         "Woldemichael", "Gebreyesus", "Habte", "Mehari", "Andemariam"],
    ),
    "irakisk": (
        ["Hussein", "Zainab", "Mustafa", "Haider", "Noor", "Saja", "Karrar", "Rusul", "Ammar",
         "Duaa", "Sajad"],
        ["Al-Saadi", "Jaber", "Al-Obaidi", "Kadhim", "Abbas", "Al-Jubouri", "Mahdi",
         "Al-Tamimi", "Hamza", "Salman"],
    ),
    "filippinsk": (
        ["Maria Cristina", "Jocelyn", "Mary Grace", "Rowena", "Jerome", "Mark Anthony", "Rodel",
         "Marites", "Jennelyn", "Rhea", "Arnel", "Lorna"],
        ["Dela Cruz", "Santos", "Reyes", "Bautista", "Garcia", "Mendoza", "Villanueva", "Ramos",
         "Aquino", "Castillo", "Manalo", "Pascual"],
    ),
    "thai": (
        ["Somchai", "Siriporn", "Nattaya", "Kanya", "Pornthip", "Wanida", "Supaporn", "Chaiwat",
         "Malee", "Ratana", "Sunisa", "Jintana"],
        ["Srisuk", "Wongsawat", "Saetang", "Chaiyaporn", "Boonmee", "Thongchai", "Kaewkla",
         "Phromma", "Sukjai", "Rattanakorn"],
    ),
    "pakistansk": (
        ["Imran", "Asif", "Nadia", "Sana", "Bilal", "Usman", "Saima", "Faisal", "Ayesha", "Waqar",
         "Rabia", "Shazia", "Kamran"],
        ["Chaudhry", "Butt", "Iqbal", "Malik", "Rana", "Qureshi", "Aslam", "Javed", "Rehman",
         "Bhatti", "Mirza", "Sheikh"],
    ),
    "afghansk": (
        ["Farid", "Gulalai", "Zarghona", "Wahid", "Sediqa", "Najibullah", "Habiba", "Shafiq",
         "Mursal", "Hamid", "Parwana", "Jawad"],
        ["Ahmadi", "Rahimi", "Popal", "Karimi", "Sultani", "Hakimi", "Noori", "Stanikzai",
         "Amiri", "Safi", "Wardak"],
    ),
    "iransk": (
        ["Reza", "Maryam", "Shirin", "Dariush", "Parisa", "Arash", "Leila", "Mehdi", "Nasrin",
         "Babak", "Sahar", "Kaveh", "Golnaz"],
        ["Hosseini", "Rezaei", "Mohammadi", "Moradi", "Tehrani", "Jafari", "Sadeghi", "Ebrahimi",
         "Rostami", "Farahani", "Kazemi"],
    ),
    "vietnamesisk": (
        ["Huong", "Thuy", "Duc", "Quang", "Hoa", "Tuan", "Linh", "Phuong", "Van Long", "Thi Mai",
         "Thanh Hương", "Văn Hùng", "Ngoc Anh"],
        ["Nguyen", "Tran", "Le", "Vu", "Hoang", "Dang", "Bui", "Vo", "Huynh", "Nguyễn", "Trần"],
    ),
    "tyrkisk": (
        ["Ayşe", "Mustafa", "Emre", "Zeynep", "Gül", "Hakan", "Özlem", "Büşra", "Çağlar",
         "Gökhan", "Ömer", "Şenay", "İbrahim"],
        ["Yılmaz", "Kaya", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan", "Doğan", "Kılıç",
         "Koç", "Yıldız", "Erdoğan"],
    ),
    "indisk": (
        ["Rahul", "Anjali", "Vikram", "Deepa", "Sanjay", "Kavita", "Rohit", "Sneha", "Harpreet",
         "Gurpreet", "Ananya", "Karthik"],
        ["Sharma", "Patel", "Gupta", "Reddy", "Iyer", "Nair", "Kumar", "Mehta", "Rao", "Joshi",
         "Kaur", "Banerjee"],
    ),
    "tamilsk": (
        ["Tharshan", "Kajan", "Nirosha", "Thusyanthi", "Sivakumar", "Jeyakumar", "Mathivathani",
         "Kirushanthan", "Vithya", "Sutharsan", "Pirashanth", "Keerthana"],
        ["Sivarajah", "Thurairajah", "Kanagaratnam", "Selvarajah", "Balasubramaniam", "Rasiah",
         "Nadarajah", "Ponnambalam", "Yogarajah", "Sinnathamby"],
    ),
    "kinesisk": (
        ["Wei", "Li Na", "Jian", "Xiaoming", "Mei", "Hui", "Yan", "Jun", "Xin Yi", "Hao",
         "Yuting", "Zhiwei"],
        ["Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Lin", "Xu"],
    ),
}
TITLES = ["fru", "herr", "Dr.", "dr.", "advokat", "lege", "tannlege", "daglig leder",
          "professor", "sykepleier", "rektor", "seniorrådgiver"]

STREET_PREFIXES = [
    "Furu", "Bjørke", "Gran", "Rogne", "Hegge", "Lyng", "Orre", "Rype", "Måke", "Sol",
    "Kløver", "Blåbær", "Tyttebær", "Multe", "Eple", "Kirsebær", "Elg", "Rev", "Hare",
    "Ekorn", "Nord", "Sør", "Kirke", "Skole", "Mølle", "Sag", "Smie", "Fjord", "Sjø",
    "Fjell", "Kvern", "Stabbur", "Tømmer", "Prest", "Lensmann", "Stasjons", "Løvetann",
    "Bringebær", "Hasle", "Selje", "Osp", "Lerke", "Trost", "Tiur", "Gauke", "Humle",
    "Bekke", "Tjern", "Skog", "Lilje", "Nype", "Einer",
]
STREET_ENDINGS = [
    "kroken", "toppen", "brekka", "bråten", "enga", "kollen", "dalen", "myra", "tråkket",
    "lia", "haugen", "åsen", "svingen", "løkka", "jordet", "lunden", "tunet", "stien",
    "vollen", "bakken", "sletta", "kleiva", "berget", "grenda", "heia", "veien", "vegen",
    "gata", "vei", "tunet", "hagen", "ringen", "marka", "moen", "skogen", "bekken",
]
MULTIWORD_STREETS = [
    "Kong Oscars gate", "Dronning Mauds gate", "Olav Kyrres gate", "Fridtjof Nansens vei",
    "Henrik Ibsens gate", "Kristian Augusts gate", "Haakon VIIs gate", "Øvre Slottsgate",
    "Nedre Vollgate", "Gamle Drammensvei", "Sankt Olavs gate", "Ole Bulls plass",
    "Niels Juels gate", "Thorvald Meyers gate", "Kong Sverres gate", "Christian Krohgs gate",
    "Gamle Kongevei", "Professor Dahls gate", "Biskop Gunnerus' gate", "Peter Møllers vei",
    "Johan Svendsens vei", "Øvre Storgate", "Nedre Langgate", "Søndre gate", "Ivar Aasens veg",
]
SUFFIXLESS_STREETS = [  # written with postnummer only, as people do
    "Grensen", "Bryggen", "Torget", "Skansen", "Holmen", "Verftet", "Stranden", "Tollboden",
    "Klosteret", "Nordnes", "Vågsbunnen", "Lykkeberg", "Hamna", "Prestegården", "Kaia",
    "Fløen", "Bakklandet", "Nordre Ås", "Øvre Hald",
]
PLACES_MORE = [
    ("1440", "Drøbak"), ("0468", "Oslo"), ("0655", "Oslo"), ("0360", "Oslo"), ("5018", "Bergen"),
    ("5055", "Bergen"), ("7030", "Trondheim"), ("4014", "Stavanger"), ("4616", "Kristiansand"),
    ("9010", "Tromsø"), ("1530", "Moss"), ("3210", "Sandefjord"), ("3110", "Tønsberg"),
    ("2609", "Lillehammer"), ("2815", "Gjøvik"), ("6413", "Molde"), ("6509", "Kristiansund N"),
    ("8515", "Narvik"), ("9600", "Hammerfest"), ("9900", "Kirkenes"), ("1337", "Sandvika"),
    ("1366", "Lysaker"), ("2000", "Lillestrøm"), ("1470", "Lørenskog"), ("3511", "Hønefoss"),
    ("3724", "Skien"), ("3915", "Porsgrunn"), ("4836", "Arendal"), ("5412", "Stord"),
    ("5700", "Voss"), ("6800", "Førde"), ("6900", "Florø"), ("7600", "Levanger"),
    ("8300", "Svolvær"), ("8610", "Mo i Rana"), ("9405", "Harstad"), ("4306", "Sandnes"),
    ("5527", "Haugesund"), ("1811", "Askim"), ("3616", "Kongsberg"), ("7500", "Stjørdal"),
    ("6100", "Volda"), ("4400", "Flekkefjord"), ("2211", "Kongsvinger"), ("6856", "Sogndal"),
]
DOMAINS_MORE = [
    "outlook.com", "live.no", "yahoo.com", "icloud.com", "hotmail.no", "broadpark.no",
    "lyse.net", "altibox.no", "post.uit.no", "student.uib.no", "nav.no", "vestland.no",
]
COMPANY_NAMES = [
    "Nordlys Rør AS", "Fjellheim Elektro AS", "Vestkyst Regnskap AS",
    "Bakke & Sønn Transport AS", "Hansen Maling AS", "Solstrand Eiendom AS",
    "Trøndelag Varme ANS", "Kvitfjell Bygg og Anlegg AS",
    "Grønn Hage Drift DA", "Sørlandet Bilverksted AS", "Fjordtur Reiser AS", "Polarlys IT AS",
    "Havbris Sjømat AS", "Myrvoll Maskin AS", "Elvebredden Barnehage SA", "Lillebø Fisk SA",
    "Berg & Dahl Advokatfirma DA", "Tindefjell Camping AS", "Rørlegger Olsen AS",
    "Nordic Data Consult AS", "Snøhvit Renhold AS", "Vikinghjem Bolig AS", "Kystlys Optikk AS",
    "Austevoll Båtservice AS", "Mjøsbyen Regnskapskontor AS",
]
TEAM_SIGNATURES = ["Kundeservice", "Kundesenteret", "Team Økonomi", "Fakturaavdelingen",
                   "Support", "Servicetorget", "Kundeteamet", "Drift"]
ROLE_PREFIXES = ["Agent", "Kundeservice", "Kunde", "Bot", "Chatbot", "Operatør", "Support",
                 "Rådgiver", "Bruker", "System", "Saksbehandler", "Kundebehandler"]
CAR_MODELS = ["Tesla Model 3", "VW ID.4", "Toyota RAV4", "Skoda Octavia", "Volvo XC60",
              "Nissan Leaf", "Hyundai Kona", "Audi e-tron", "Kia Niro", "BMW i3", "Ford Transit"]
PLATE_LETTERS = ["EL", "EK", "EV", "EB", "EC", "ED", "EH", "AB", "BS", "BR", "CF", "DN", "DR",
                 "FT", "HA", "JN", "KH", "KF", "LE", "NB", "PA", "RA", "SU", "SV", "TF", "TR",
                 "UB", "VE", "VH", "XA", "YV", "ZE", "ZH"]
LANDLINE_AREAS = ["22", "23", "55", "73", "51", "38", "21", "32", "33", "35", "37", "56",
                  "57", "61", "62", "63", "64", "66", "67", "69", "70", "71", "72", "74", "75",
                  "77", "78"]
FOREIGN_PHONES = [  # (country code, digits to fill: # is random)
    ("+46", "7# ### ## ##"), ("+48", "5## ### ###"), ("+48", "6## ### ###"),
    ("+370", "6## #####"), ("+380", "67 ### ####"), ("+380", "50 ### ####"),
    ("+90", "53# ### ## ##"), ("+92", "30# #######"), ("+63", "917 ### ####"),
    ("+66", "8# ### ####"), ("+963", "94# ### ###"), ("+964", "770 ### ####"),
    ("+98", "912 ### ####"), ("+84", "9# ### ## ##"), ("+94", "77 ### ####"),
    ("+91", "98### #####"), ("+86", "13# #### ####"), ("+44", "7700 ######"),
    ("+45", "2# ## ## ##"), ("+252", "61 #######"), ("+291", "7 ### ###"), ("+93", "7# ### ####"),
]
MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember"]
# fmt: on
NO_FIRST = FIRST + FIRST_MORE + HYPHENATED_FIRST
NO_LAST = LAST + LAST_MORE
ALL_PLACES = PLACES + PLACES_MORE
ALL_DOMAINS = DOMAINS + DOMAINS_MORE


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


# --- checksums ------------------------------------------------------------------------------


def fnr_ok(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return fnr_control_ok(digits)


def account_ok(number: str) -> bool:
    return _account_digits_ok(re.sub(r"\D", "", number))


def orgnr_ok(number: str) -> bool:
    return _orgnr_digits_ok(re.sub(r"\D", "", number))


def card_ok(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return 13 <= len(digits) <= 19 and luhn_ok(digits)


def phone_ok(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "NO"))
    except phonenumbers.NumberParseException:
        return False


def _passes_a_checksum(digits: str) -> bool:
    """Would a detector take this bare digit string for an identifier?"""
    if len(digits) == 11:
        return account_ok(digits)  # fnr-valid numbers are a subset (same K2 weights)
    if len(digits) == 9:
        return orgnr_ok(digits)
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and card_ok(digits)


_NUMBER_RUN = re.compile(r"\d+(?:[ .]\d+)*")


def accidental_number(text: str, spans: list[tuple[str, int, int]]) -> str | None:
    """An unlabelled number (groups joined by single spaces or dots) that passes a checksum."""
    for run in _NUMBER_RUN.finditer(text):
        groups = [
            (run.start() + g.start(), run.start() + g.end())
            for g in re.finditer(r"\d+", run.group())
        ]
        for i in range(len(groups)):
            for j in range(i, len(groups)):
                start, end = groups[i][0], groups[j][1]
                digits = re.sub(r"\D", "", text[start:end])
                if len(digits) > 19:
                    break
                if not _passes_a_checksum(digits):
                    continue
                if not any(s <= start and end <= e for _, s, e in spans):
                    return text[start:end]
    return None


_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "NO_FODSELSNUMMER": fnr_ok,
    "NO_BANK_ACCOUNT": account_ok,
    "NO_ORG_NUMBER": orgnr_ok,
    "IBAN_CODE": lambda s: stdnum_iban.is_valid(s),
    "CREDIT_CARD": card_ok,
    "PHONE_NUMBER": phone_ok,
}


def check_labels(text: str, spans: list[tuple[str, int, int]]) -> None:
    """Every labelled identifier passes its checksum; spans are trimmed and do not overlap."""
    ordered = sorted(spans, key=lambda s: s[1])
    for (_, _, end), (_, start, _) in zip(ordered, ordered[1:], strict=False):
        assert end <= start, f"overlapping labels in {text!r}"
    for label, start, end in spans:
        value = text[start:end]
        assert value and value == value.strip(), f"{label} span {value!r} is not trimmed"
        check = _VALIDATORS.get(label)
        assert check is None or check(value), f"{label} {value!r} fails its checksum"


# --- values ---------------------------------------------------------------------------------


class Values:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    # --- identifiers --------------------------------------------------------------------

    def fnr(self, spaced: bool | None = None) -> str:
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
            k2 = mod11_check("".join(map(str, [*digits, k1])), W2)
            if k2 is None:
                continue
            number = "".join(map(str, digits)) + f"{k1}{k2}"
            if spaced is None:
                spaced = r.random() >= 0.6
            return f"{number[:6]} {number[6:]}" if spaced else number

    def _no_digits(self, mobile: bool | None = None) -> str:
        r = self.r
        if mobile is None:
            mobile = r.random() < 0.8
        while True:  # only numbers that are allocated (phonenumbers knows the plan)
            n = (
                f"{r.choice('49')}{r.randrange(10**7):07d}"
                if mobile
                else f"{r.choice(LANDLINE_AREAS)}{r.randrange(10**6):06d}"
            )
            if phonenumbers.is_valid_number(phonenumbers.parse(n, "NO")):
                return n

    def foreign_phone(self) -> str:
        r = self.r
        if r.random() < 0.3:
            return r.choice(
                [
                    "+46 70 123 45 67",
                    "+44 20 7946 0958",
                    "+48 512 345 678",
                    "+49 30 12345678",
                    "+1 212 555 0147",
                ]
            )
        code, shape = r.choice(FOREIGN_PHONES)
        for _ in range(200):
            number = f"{code} " + "".join(str(r.randrange(10)) if c == "#" else c for c in shape)
            if phone_ok(number):
                return number
        raise AssertionError(f"no valid number in the shape {code} {shape}")

    def phone(self) -> str:
        r = self.r
        if r.random() < 0.1:
            return self.foreign_phone()
        n = self._no_digits()
        mobile = n[0] in "49"
        grouped = r.choice(
            [
                n,
                f"{n[:3]} {n[3:5]} {n[5:]}" if mobile else n,
                f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
                f"{n[:3]} {n[3:5]} {n[5:]}" if mobile else f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}",
                f"{n[:4]} {n[4:]}",
            ]
        )
        prefix = r.choice(["", "", "", "+47 ", "+47 ", "0047 ", "(+47) "])
        if grouped == n and r.random() < 0.3:
            prefix = "+47"  # +4791234567
        return prefix + grouped

    def phone_plain(self, mobile: bool | None = None) -> str:
        """Eight digits in one piece, as typed after 'ringt', 'M:', 'T:', in parentheses."""
        return self._no_digits(mobile)

    def email(self, first: str, last: str) -> str:
        r = self.r
        f, la = _ascii(first.split()[0]).lower(), _ascii(last).lower()
        local = r.choice(
            [
                f"{f}.{la}",
                f"{f}{la}",
                f"{f[0]}{la}",
                f"{f}.{la}{r.randrange(99)}",
                f"{f}_{la}",
                f"{la}.{f}",
                f"{f[0]}.{la}",
                f"{f}{r.randrange(60, 99)}",
                f"{f}.{la[0]}",
            ]
        )
        if r.random() < 0.06:
            local = ".".join(p[:1].upper() + p[1:] for p in local.split("."))
        return f"{local}@{r.choice(ALL_DOMAINS)}"

    def company_email(self, first: str, last: str, company: str) -> str:
        f, la = _ascii(first.split()[0]).lower(), _ascii(last).lower()
        words = [w for w in company.split() if w not in {"AS", "ASA", "ANS", "DA", "SA", "&"}]
        domain = _ascii("".join(words[:2])).lower() + ".no"
        return f"{self.pick([f, f'{f}.{la}', f[0] + la])}@{domain}"

    def _kontonr(self) -> str:
        while True:
            base = f"{self.r.randrange(1000, 9999)}{self.r.randrange(10**6):06d}"
            check = mod11_check(base, W_ACCOUNT)
            if check is not None:
                return base + str(check)

    def account(self, form: str | None = None) -> str:
        n = self._kontonr()
        form = form or self.r.choice(["dotted", "dotted", "spaced", "plain"])
        return {
            "dotted": f"{n[:4]}.{n[4:6]}.{n[6:]}",
            "spaced": f"{n[:4]} {n[4:6]} {n[6:]}",
            "plain": n,
        }[form]

    def orgnr(self, form: str | None = None) -> str:
        r = self.r
        while True:
            base = f"{r.choice('89')}{r.randrange(10**7):07d}"
            check = mod11_check(base, W_ORG)
            if check is not None:
                n = base + str(check)
                form = form or r.choice(["spaced", "plain", "mva"])
                return {"spaced": f"{n[:3]} {n[3:6]} {n[6:]}", "plain": n, "mva": f"NO {n} MVA"}[
                    form
                ]

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
                ("PL", f"{r.randrange(10**24):024d}"),
                ("LT", f"{r.randrange(10**16):016d}"),
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
            return r.choice(
                [
                    ".".join(str(r.randrange(1, 255)) for _ in range(4)),
                    ".".join(str(r.randrange(1, 255)) for _ in range(4)),
                    f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}",
                    f"192.168.{r.randrange(256)}.{r.randrange(1, 255)}",
                ]
            )
        groups = [f"{r.randrange(0x10000):x}" for _ in range(8)]
        return r.choice(
            [
                ":".join(groups),
                f"2001:db8::{groups[0]}:{groups[1]}",
                f"fe80::{groups[2]}:{groups[3]}",
            ]
        )

    def plate(self, lower: bool = False) -> str:
        r = self.r
        letters = r.choice(PLATE_LETTERS)
        digits = f"{r.randrange(10000, 99999)}"
        plate = f"{letters} {digits}" if r.random() < 0.6 else f"{letters}{digits}"
        return plate.lower() if lower else plate

    def card(self, kind: str | None = None) -> str:
        r = self.r
        kind = kind or r.choice(["visa", "visa", "mc", "mc2", "amex"])
        if kind == "amex":
            base = r.choice(["34", "37"]) + "".join(str(r.randrange(10)) for _ in range(12))
            n = base + luhn_check(base)
            return f"{n[:4]} {n[4:10]} {n[10:]}" if r.random() < 0.7 else n
        head = {
            "visa": "4",
            "mc": r.choice(["51", "52", "53", "54", "55"]),
            "mc2": str(r.randrange(2221, 2721)),
        }[kind]
        base = (head + "".join(str(r.randrange(10)) for _ in range(15)))[:15]
        n = base + luhn_check(base)
        form = r.random()
        if form < 0.55:
            return f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:]}"
        if form < 0.62:
            return f"{n[:4]}-{n[4:8]}-{n[8:12]}-{n[12:]}"
        return n

    # --- addresses ----------------------------------------------------------------------

    def street(self) -> str:
        r = self.r
        kind = r.random()
        if kind < 0.3:
            return r.choice(STREETS)
        if kind < 0.8:
            return r.choice(STREET_PREFIXES) + r.choice(STREET_ENDINGS)
        return r.choice(MULTIWORD_STREETS)

    def house_number(self) -> str:
        r = self.r
        return f"{r.randrange(1, 120)}{r.choice(['', '', '', '', 'B', 'A', ' C', 'C', 'D'])}"

    def street_number(self) -> str:
        """A street and number without postnummer (as in a subject line)."""
        return f"{self.street()} {self.house_number()}"

    def address(self, code: bool | None = None, lower: bool = False) -> str:
        r = self.r
        if code is None:
            code = r.random() < 0.6
        if code and r.random() < 0.15:
            street = f"{r.choice(SUFFIXLESS_STREETS)} {self.house_number()}"
        else:
            street = self.street_number()
        if code:
            postnr, place = r.choice(ALL_PLACES)
            street += f", {postnr} {place}"
        return street.lower() if lower else street

    # --- people -------------------------------------------------------------------------

    def person(self) -> tuple[str, str, str]:
        """(calling name, surname, full name)."""
        r = self.r
        kind = r.random()
        if kind < 0.58:
            first, last = r.choice(NO_FIRST), r.choice(NO_LAST)
        elif kind < 0.92:
            firsts, lasts = ORIGINS[r.choice(list(ORIGINS))]
            first, last = r.choice(firsts), r.choice(lasts)
        elif kind < 0.96:  # mixed: married or adopted names
            first, last = r.choice(NO_FIRST), r.choice(ORIGINS[r.choice(list(ORIGINS))][1])
        else:
            first, last = r.choice(ORIGINS[r.choice(list(ORIGINS))][0]), r.choice(NO_LAST)
        if r.random() < 0.07 and first in NO_FIRST and " " not in first and "-" not in first:
            return first, last, f"{first} {r.choice(MIDDLE)} {last}"
        return first, last, f"{first} {last}"

    def first_name(self) -> str:
        return self.person()[0]

    def company(self) -> str:
        return self.pick(COMPANY_NAMES) if self.chance(0.7) else f"{self.pick(COMPANIES)} AS"

    # --- dates and times ----------------------------------------------------------------

    def date_str(self) -> str:
        r = self.r
        d, m = r.randrange(1, 29), r.randrange(1, 13)
        return r.choice(
            [
                f"{d:02d}.{m:02d}.2026",
                f"{d}.{m}.26",
                f"{d}. {MONTHS[m - 1]}",
                f"2026-{m:02d}-{d:02d}",
                f"{d}/{m}",
                f"{d:02d}.{m:02d}",
            ]
        )

    def time_str(self) -> str:
        r = self.r
        h, m = r.randrange(7, 22), r.choice(["00", "05", "15", "20", "30", "45", "50"])
        return r.choice([f"kl {h}.{m}", f"kl. {h:02d}:{m}", f"{h}:{m}", f"kl {h}"])

    def clock(self) -> Callable[[], str]:
        """Successive chat timestamps HH:MM."""
        minute = [self.r.randrange(8 * 60, 21 * 60)]

        def tick() -> str:
            minute[0] += self.r.choice([0, 0, 1, 1, 2, 3])
            return f"{minute[0] // 60:02d}:{minute[0] % 60:02d}"

        return tick

    # --- look-alikes that are not personal data ------------------------------------------

    def failing(self, length: int, lead: str = "") -> str:
        """A number of ``length`` digits that passes no checksum."""
        while True:
            n = lead + "".join(str(self.r.randrange(10)) for _ in range(length - len(lead)))
            if not _passes_a_checksum(n) and not (length == 11 and fnr_ok(n)):
                return n

    def negative(self) -> str:
        r = self.r
        order = self.failing(11)
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
                # added look-alikes
                self.number_negative(),
                self.number_negative(),
                self.plate_negative(),
                self.address_negative(),
                self.word_negative(),
                self.word_negative(),
                f"Avtalenummer {self.failing(9, r.choice('89'))} gjelder fra 1. "
                f"{r.choice(MONTHS)}.",
                f"Referanse {self.failing(11)} må oppgis ved betaling.",
                f"Gavekort {self.failing(16, '9')} har saldo kr {r.randrange(50, 999)}.",
                f"Beløpet på kr {r.randrange(1, 40)} {r.randrange(100, 999)},- forfaller "
                f"{r.randrange(1, 28)}.{r.randrange(1, 13)}.",
                f"Porten er {r.randrange(1000, 9999)}, kode {r.randrange(1000, 9999)}#.",
                f"Levering uke {r.randrange(1, 53)}.",
                f"Kampanjekode VAR{r.randrange(10, 99)} gir {r.randrange(10, 50)} % rabatt.",
            ]
        )

    def number_negative(self) -> str:
        """Eight digits that are not phones, often shaped like one."""
        r = self.r
        n = f"{r.choice('4923567')}{r.randrange(10**7):07d}"
        return r.choice(
            [
                f"Kvittering nr. {n}.",
                f"Kvitteringsnummer: {n}",
                f"Medlemsnummer {n}.",
                f"Medlemsnr. {n} er registrert.",
                f"Oppgi kundenummer {n} ved henvendelse.",
                f"Bestillingsnr. {n}.",
                f"Ordre {n} er sendt.",
                f"Faktura {n} er betalt.",
                f"Lisensnøkkel {n}-{r.randrange(1000, 9999)}.",
                f"Polisenummer {n}.",
                f"Saksnummer {n}.",
                f"Abonnement {n} avsluttes ved månedsskiftet.",
            ]
        )

    def plate_negative(self) -> str:
        r = self.r
        return r.choice(
            [
                f"Flyet DY {r.randrange(100, 9999)} var forsinket.",
                f"Jeg reiser med SK {r.randrange(100, 4999)} i morgen.",
                f"Fly WF {r.randrange(100, 999)} til Bodø.",
                f"Følger NS {r.choice(['8405', '8406', '3420', '3600', '8407'])}.",
                f"Sertifisert etter ISO {r.choice(['9001', '14001', '27001', '45001'])}.",
                f"Kontrakt etter NS {r.choice(['8405', '8417'])} og NS-EN 1090.",
                f"Kø på E{r.choice(['6', '18', '39', '16', '134'])} ved avkjøringen.",
                f"Rv. {r.randrange(2, 80)} er stengt.",
                f"Ta buss {r.randrange(20, 99)} fra sentrum.",
                f"Modell XC{r.choice(['40', '60', '90'])} er utsolgt.",
            ]
        )

    def address_negative(self) -> str:
        r = self.r
        return r.choice(
            [
                f"Lagerplass {r.randrange(10, 40)}-{r.randrange(10, 40)}-{r.randrange(10, 60)}.",
                f"Varen ligger på hylle {r.randrange(1, 40)}{r.choice('ABC')}.",
                f"Vi møtes ved Gate {r.randrange(1, 60)} på Gardermoen.",
                f"Avgang fra Terminal {r.randrange(1, 4)}.",
                f"Møterom {r.randrange(100, 499)} i {r.randrange(2, 9)}. etasje.",
                f"Parkert på plass {r.randrange(1, 200)} i P-kjelleren.",
                f"Bygg {r.randrange(1, 9)}, inngang {r.choice('ABCD')}.",
                f"Henvendelsen gjelder Kasse {r.randrange(1, 9)}.",
            ]
        )

    def word_negative(self) -> str:
        return self.pick(
            [
                "God dag, og takk for sist.",
                "Vår avdeling svarer innen to dager.",
                "Sol og varme hele helgen.",
                "Storm i vente, så vi stenger tidlig.",
                "Det lå en stein i skoen.",
                "Han så en bjørn ved hytta.",
                "Håp er ikke en strategi.",
                "Dag for dag blir det bedre.",
                "Frost på ruta i morges.",
                "Fjell og vidde er flott.",
                "Mai er travel for oss.",
                "Ask og rogn langs veien.",
                "Kontaktperson: ikke registrert.",
                "Fyll inn Fullt navn, Adresse og Telefon i skjemaet.",
                "Eier og bruker er ikke samme person.",
                "Kunde og leverandør har signert.",
            ]
        )


def _ascii(text: str) -> str:
    special = {
        "æ": "ae",
        "ø": "o",
        "Æ": "Ae",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
    }
    text = "".join(special.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c) and c not in " '")


# --- shared fragments -----------------------------------------------------------------------

ORG_LABELS = [
    "Org.nr: ",
    "Org. nr.: ",
    "Org.nr. ",
    "Foretaksnr. - ",
    "Orgnummer: ",
    "Organisasjonsnummer: ",
    "Org nr ",
    "orgnummer ",
    "Foretaksnummer: ",
    "Org.nr.: ",
]
SIGN_OFFS = [
    "Med vennlig hilsen\n",
    "Mvh\n",
    "Mvh.\n",
    "Hilsen\n",
    "Vennlig hilsen\n",
    "MVH\n",
    "Beste hilsen\n",
    "Hilsen\n",
    "mvh\n",
    "Ha en fin dag!\n",
]
SIGN_OFFS_NN = ["Helsing\n", "Venleg helsing\n", "Med venleg helsing\n", "Mvh\n"]
SUBJECTS = [
    "Angående bestilling",
    "Faktura for mars",
    "Flytting",
    "Tilbud på rørarbeid",
    "Reklamasjon",
    "Endring av avtale",
    "Oppsigelse",
    "Spørsmål om levering",
    "Møte neste uke",
    "Skademelding",
    "Depositum",
    "Nøkkelovertakelse",
]
BICS = ["DNBANOKK", "NDEANOKK", "SPRONO22", "HANDNOKK", "COBADEFFXXX", "NWBKGB2L", "PKOPPLPW"]


def _stamp(v: Values) -> str:
    r = v.r
    d, m = r.randrange(1, 29), r.randrange(1, 13)
    hh, mm = r.randrange(7, 22), r.randrange(60)
    return r.choice(
        [
            f"{d:02d}.{m:02d}.2026 {hh:02d}:{mm:02d}",
            f"2026-{m:02d}-{d:02d} {hh:02d}:{mm:02d}",
            f"{d}.{m}.26 kl {hh}.{mm:02d}",
            f"{d:02d}.{m:02d} {hh:02d}:{mm:02d}",
        ]
    )


def _signature(v: Values, b: Builder, first: str, full: str, company: str | None) -> None:
    """Sign-off, name (often the first name alone), maybe a company block with numbers."""
    b.add(v.pick(SIGN_OFFS))
    b.add(first if v.chance(0.4) else full, "PERSON").add("\n")
    if company:
        if v.chance(0.4):
            b.add(v.pick(["Daglig leder\n", "Prosjektleder\n", "Rådgiver\n", "Salgssjef\n"]))
        b.add(f"{company}\n")
        b.add(v.pick(["M: ", "Mob: ", "Mobil: ", "Tlf. "])).add(v.phone_plain(True), "PHONE_NUMBER")
        if v.chance(0.5):
            b.add(v.pick([" | T: ", " / Sentralbord: ", "\nSentralbord: ", "\nT: "]))
            b.add(v.phone_plain(False), "PHONE_NUMBER")
        b.add("\n")
        if v.chance(0.5):
            b.add(v.pick(ORG_LABELS)).add(v.orgnr(), "NO_ORG_NUMBER").add("\n")
        if v.chance(0.3):
            b.add(v.address(code=True), "NO_ADDRESS").add("\n")
    elif v.chance(0.5):
        b.add(v.pick(["Tlf: ", "Tlf. ", "Mob. ", "Telefon: "])).add(v.phone(), "PHONE_NUMBER")
        b.add("\n")


def _team_signature(v: Values, b: Builder) -> None:
    b.add(v.pick(SIGN_OFFS)).add(f"{v.pick(TEAM_SIGNATURES)}\n{v.company()}\n")


def _greeting(v: Values, b: Builder, first: str, others: list[str] | None = None) -> None:
    if others:
        b.add(v.pick(["Hei ", "Hei ", "Hallo ", "Kjære "])).add(first, "PERSON")
        for i, name in enumerate(others):
            b.add(" og " if i == len(others) - 1 else ", ").add(name, "PERSON")
        b.add(v.pick([",\n\n", "!\n\n", "\n\n"]))
        return
    before, after = v.pick(
        [
            ("Hei ", ",\n\n"),
            ("Hei ", "!\n\n"),
            ("Hei igjen, ", ".\n\n"),
            ("Hallo ", "\n\n"),
            ("Kjære ", ",\n\n"),
            ("God morgen ", ",\n\n"),
            ("Takk, ", ".\n\n"),
            ("Takk for svar, ", "!\n\n"),
        ]
    )
    b.add(before).add(first, "PERSON").add(after)


# --- body sentences: each writes one or two sentences with a value -------------------------


def _s_phone(v: Values, b: Builder) -> None:
    r = v.r
    form = r.random()
    if form < 0.3:
        b.add(v.pick(["Jeg prøvde å ringe deg på ", "Ring meg gjerne på ", "Nås best på "]))
        b.add(v.phone(), "PHONE_NUMBER").add(f" {v.time_str()}. ")
    elif form < 0.6:
        b.add(v.pick(["Jeg har ringt ", "Har ringt ", "Vi har forsøkt å ringe "]))
        b.add(v.phone_plain(), "PHONE_NUMBER").add(v.pick([" flere ganger. ", " uten svar. "]))
    else:
        _, _, full = v.person()
        b.add(v.pick(["Kontaktperson på stedet er ", "Snakk med ", "Ta kontakt med "]))
        b.add(full, "PERSON").add(" (").add(v.phone_plain(), "PHONE_NUMBER").add("). ")


def _s_address(v: Values, b: Builder) -> None:
    before, after = v.pick(
        [
            ("Varene kan leveres til ", ". "),
            ("Ny adresse fra 1. mai er ", ". "),
            ("Vi har flyttet til ", ", så fakturaen må sendes dit. "),
            ("Jeg bor i ", " og har ikke fått pakken. "),
            ("Befaringen blir i ", " på tirsdag. "),
            ("Nøklene kan hentes i ", " etter kl 16. "),
            ("Adressen er ", "\n"),
        ]
    )
    b.add(before).add(v.address(), "NO_ADDRESS").add(after)


def _s_account(v: Values, b: Builder) -> None:
    form = v.r.random()
    if form < 0.25:
        b.add(v.pick(["Kontonummeret vårt er ", "Kontonummeret mitt er ", "Kontonummeret er "]))
        b.add(v.account(), "NO_BANK_ACCOUNT").add(". ")
    elif form < 0.5:
        b.add(
            v.pick(
                [
                    "Beløpet utbetales til ",
                    "Pengene utbetales til ",
                    "Depositumet overføres til ",
                    "Kan dere overføre til ",
                ]
            )
        )
        b.add(v.account(v.pick(["plain", "spaced", "dotted"])), "NO_BANK_ACCOUNT")
        b.add(v.pick([" innen fredag. ", ". ", "? ", " så snart som mulig. "]))
    elif form < 0.7:
        b.add(v.pick(["Innbetalt fra ", "Betaling mottatt fra konto ", "Overført fra "]))
        b.add(v.account(), "NO_BANK_ACCOUNT").add(
            f" {v.r.randrange(1, 29)}/{v.r.randrange(1, 13)}. "
        )
    else:
        b.add(v.pick(["Pengene kan settes inn på kontonummer ", "Bruk konto ", "Kontonr: "]))
        b.add(v.account(), "NO_BANK_ACCOUNT").add(". ")


def _s_org(v: Values, b: Builder) -> None:
    before = v.pick(
        [
            "Fakturer oss på orgnummer ",
            "Vårt org. nr. er ",
            "Org. nr.: ",
            "Foretaksnr. - ",
            "Bruk organisasjonsnummer ",
            "Orgnummeret er ",
        ]
    )
    b.add(before).add(v.orgnr(), "NO_ORG_NUMBER").add(v.pick([". ", "\n", " (Brreg). "]))


def _s_fnr(v: Values, b: Builder) -> None:
    before = v.pick(
        [
            "Fødselsnummeret mitt er ",
            "Fødselsnummeret til sønnen min er ",
            "Personnummer: ",
            "Fnr. ",
            "D-nummeret mitt er ",
            "Født og fnr: ",
        ]
    )
    b.add(before).add(v.fnr(), "NO_FODSELSNUMMER").add(
        v.pick([". ", "\n", " om dere trenger det. "])
    )


def _s_plate(v: Values, b: Builder) -> None:
    plate = v.plate()
    before, after = v.pick(
        [
            ("Gjelder leiebilen ", " som fikk en bulk i døra. "),
            ("Bilen med skilt ", " ble borttauet. "),
            ("Parkeringsboten på ", " er feil, jeg hadde betalt. "),
            ("Bompassering for ", " er fakturert to ganger. "),
            ("Leasingbilen ", " leveres tilbake fredag. "),
            ("Skade på bilen (", ") etter kollisjon på parkeringsplassen. "),
            ("Forsikringen for ", " må fornyes. "),
        ]
    )
    b.add(before).add(plate, "NO_LICENSE_PLATE").add(after)


def _s_iban(v: Values, b: Builder) -> None:
    form = v.r.random()
    if form < 0.4:
        b.add("IBAN: ").add(v.iban(), "IBAN_CODE").add(f" BIC: {v.pick(BICS)}\n")
    elif form < 0.7:
        b.add(v.pick(["Bruk IBAN ", "IBAN ", "Kontoen i utlandet: "])).add(v.iban(), "IBAN_CODE")
        b.add(v.pick([" OK?\n", " OK. ", f" SWIFT {v.pick(BICS)}. ", " DNB. "]))
    else:
        b.add("Refusjon til IBAN ").add(v.iban(), "IBAN_CODE").add(". ")


def _s_card(v: Values, b: Builder) -> None:
    form = v.r.random()
    if form < 0.3:
        b.add(f"Jeg betalte med kortet som slutter på {v.r.randrange(1000, 9999)}. ")
    elif form < 0.7:
        b.add(v.pick(["Kortnummer: ", "Betalte med ", "Trukket på kort ", "Kortet "]))
        b.add(v.card(), "CREDIT_CARD")
        b.add(f" (utløp {v.r.randrange(1, 13):02d}/{v.r.randrange(26, 31)}). ")
    else:
        b.add("Belastet ").add(v.card(v.pick(["mc2", "amex"])), "CREDIT_CARD")
        b.add(f" {v.date_str()}. ")


def _s_ip(v: Values, b: Builder) -> None:
    before, after = v.pick(
        [
            ("Får ikke kontakt med server ", ". "),
            ("Koblet til over ", " via VPN. "),
            ("Innlogging feilet fra IP ", " flere ganger. "),
            ("Skriveren har fått adressen ", ". "),
            ("Trafikk fra ", " blokkeres i brannmuren. "),
            ("Pinger server ", " uten svar. "),
        ]
    )
    b.add(before).add(v.ip(), "IP_ADDRESS").add(after)


BODY_SENTENCES = [
    _s_phone,
    _s_address,
    _s_account,
    _s_org,
    _s_fnr,
    _s_plate,
    _s_iban,
    _s_card,
    _s_ip,
]


def _body(v: Values, b: Builder, k: int) -> None:
    for fn in v.r.sample(BODY_SENTENCES, k):
        fn(v, b)
        if v.chance(0.35):
            b.add(f"{v.negative()} ")


# --- CRM ------------------------------------------------------------------------------------


def crm_card(v: Values, b: Builder) -> None:
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


def crm_contact(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    company = v.company()
    b.add(v.pick(["Kontaktperson: ", "Fullt navn: ", "Navn på kontakt: ", "Kontakt: "]))
    b.add(full, "PERSON").add(f"\nFirma: {company}\n")
    b.add(v.pick(ORG_LABELS)).add(v.orgnr(), "NO_ORG_NUMBER").add("\n")
    if v.chance(0.5):
        b.add("T: ").add(v.phone_plain(False), "PHONE_NUMBER").add(v.pick(["  M: ", "\nM: "]))
        b.add(v.phone_plain(True), "PHONE_NUMBER").add("\n")
    else:
        b.add("Sentralbord: ").add(v.phone_plain(False), "PHONE_NUMBER")
        b.add("\nMobil: ").add(v.phone(), "PHONE_NUMBER").add("\n")
    b.add(v.pick(["E: ", "E-post: ", "Epost: "]))
    b.add(v.company_email(first, last, company), "EMAIL_ADDRESS").add("\n")
    b.add(v.pick(["Besøksadresse: ", "Adresse: ", "Leveringsadresse: "]))
    b.add(v.address(code=True), "NO_ADDRESS").add("\n")
    b.add(f"Kundenummer: {v.r.randrange(10**7, 10**8)}\n")
    _, _, agent = v.person()
    b.add(f"Sist endret {_stamp(v)} av ").add(agent, "PERSON").add("\n")


def _ev_called(v: Values, b: Builder, first: str) -> None:
    form = v.r.random()
    if form < 0.35:
        if v.chance(0.3):
            b.add(first, "PERSON").add(" har ringt fra ")
        else:
            b.add(v.pick(["Kunden har ringt ", "Har ringt ", "Kunden ringte fra "]))
        b.add(v.phone_plain(), "PHONE_NUMBER")
        b.add(v.pick(["", " to ganger", f" {v.time_str()}", " i dag"]))
    elif form < 0.7:
        b.add("Ringte kunden på ").add(v.phone(), "PHONE_NUMBER")
        b.add(v.pick([f" {v.time_str()}, ingen svar", "", " – la igjen beskjed"]))
    else:
        b.add(v.pick(["Ny mobil: ", "Endret telefon til ", "tlf "])).add(v.phone(), "PHONE_NUMBER")


def _ev_address(v: Values, b: Builder, first: str) -> None:
    b.add(
        v.pick(
            [
                "Ny adresse registrert: ",
                "Kunden har flyttet til ",
                "Kunden har flytta til ",
                "Adresse endret til ",
                "Sendt brev til ",
            ]
        )
    )
    b.add(v.address(), "NO_ADDRESS")


def _ev_payout(v: Values, b: Builder, first: str) -> None:
    b.add(
        v.pick(
            [
                "Ba om at beløpet utbetales til ",
                "Kontonummeret er endret til ",
                "Utbetaling overføres til ",
                "Kontonummeret ",
                "Refusjon til konto ",
            ]
        )
    )
    b.add(v.account(), "NO_BANK_ACCOUNT")
    b.add(v.pick(["", f" {v.r.randrange(1, 29)}/{v.r.randrange(1, 13)}", " er bekreftet"]))


def _ev_id(v: Values, b: Builder, first: str) -> None:
    b.add(
        v.pick(
            [
                "Identitet bekreftet med fnr ",
                "Fødselsnummeret ",
                "Kontrollert D-nummer ",
                "Fnr: ",
                "pnr ",
            ]
        )
    )
    b.add(v.fnr(), "NO_FODSELSNUMMER").add(v.pick(["", " stemmer med folkeregisteret", ""]))


def _ev_mail(v: Values, b: Builder, first: str) -> None:
    other_first, other_last, _ = v.person()
    b.add(v.pick(["Sendte bekreftelse til ", "Ny e-post: ", "Kopi til "]))
    b.add(v.email(other_first, other_last), "EMAIL_ADDRESS")


def _ev_negative(v: Values, b: Builder, first: str) -> None:
    b.add(v.number_negative())


def _ev_first(v: Values, b: Builder, first: str) -> None:
    agent = v.first_name()
    before, after = v.pick(
        [
            ("Overført til ", "."),
            ("Avtalt at ", " ringer tilbake i morgen."),
            ("Sendt videre til ", " på økonomi."),
            ("Notat fra ", ": kunden er fornøyd."),
        ]
    )
    b.add(before).add(agent, "PERSON").add(after)


def _ev_titled(v: Values, b: Builder, first: str) -> None:
    _, last, full = v.person()
    b.add(f"Snakket med {v.pick(TITLES)} ").add(v.pick([full, last]), "PERSON")
    b.add(v.pick([" om fakturaen.", ".", " – venter på svar."]))


def _ev_plate(v: Values, b: Builder, first: str) -> None:
    before = v.pick(
        [
            "Gjelder leasingbil ",
            "Bompasseringer for ",
            "Servicebil ",
            "Parkeringsbot for ",
            "Kjøretøy: ",
        ]
    )
    b.add(before).add(v.plate(), "NO_LICENSE_PLATE")


CRM_EVENTS = [
    _ev_called,
    _ev_address,
    _ev_payout,
    _ev_id,
    _ev_mail,
    _ev_negative,
    _ev_first,
    _ev_titled,
    _ev_plate,
]


def crm_log(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(v.pick(["Aktivitetslogg – ", "Historikk for ", "Logg: ", "Kunde: "]))
    b.add(full, "PERSON").add("\n")
    for event in v.r.sample(CRM_EVENTS, v.r.randint(3, 5)):
        b.add(f"{_stamp(v)} ")
        event(v, b, first)
        b.add("\n")


def crm_export(v: Values, b: Builder) -> None:
    sep = v.pick([";", ";", " | ", "\t", ","])
    columns = (
        ["Navn"]
        + v.r.sample(["Fødselsnummer", "Mobil", "E-post", "Adresse", "Kontonummer", "Medlemsnr"], 3)
        + ["Registrert"]
    )
    if sep == ",":
        columns = [c for c in columns if c != "Adresse"]
    b.add(sep.join(columns) + "\n")
    for _ in range(v.r.randint(2, 4)):
        first, last, full = v.person()
        for i, column in enumerate(columns):
            if i:
                b.add(sep)
            if column == "Navn":
                b.add(full, "PERSON")
            elif column == "Fødselsnummer":
                b.add(v.fnr(spaced=v.chance(0.2)), "NO_FODSELSNUMMER")
            elif column == "Mobil":
                b.add(v.phone_plain(True) if v.chance(0.6) else v.phone(), "PHONE_NUMBER")
            elif column == "E-post":
                b.add(v.email(first, last), "EMAIL_ADDRESS")
            elif column == "Adresse":
                b.add(v.address(code=True), "NO_ADDRESS")
            elif column == "Kontonummer":
                b.add(v.account(), "NO_BANK_ACCOUNT")
            elif column == "Medlemsnr":
                b.add(str(v.r.randrange(10**7, 10**8)))
            else:
                b.add(f"{v.r.randrange(1, 29):02d}.{v.r.randrange(1, 13):02d}.2026")
        b.add("\n")


def crm_company(v: Values, b: Builder) -> None:
    company = v.company()
    b.add(v.pick(["Kundekort – ", "Bedriftskunde: ", "Kunde: "]) + f"{company}\n")
    b.add(v.pick(ORG_LABELS)).add(v.orgnr(), "NO_ORG_NUMBER").add("\n")
    b.add("Sentralbord: ").add(v.phone_plain(False) if v.chance(0.6) else v.phone(), "PHONE_NUMBER")
    first, last, full = v.person()
    b.add(v.pick(["\nDaglig leder: ", "\nKontaktperson: ", "\nStyreleder: ", "\nKontakt: "]))
    b.add(full, "PERSON").add(" (").add(v.phone_plain(True), "PHONE_NUMBER").add(")\n")
    b.add("Fakturaadresse: ").add(v.address(code=True), "NO_ADDRESS").add("\n")
    b.add(v.pick(["Kontonummer: ", "Bankkonto: ", "Konto for utbetaling: ", "Kontonr. "]))
    b.add(v.account(), "NO_BANK_ACCOUNT").add("\n")
    b.add(f"Notat: {v.negative()} {v.negative()}\n")


def crm_vehicle(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(v.pick(["Forsikringstaker: ", "Leietaker: ", "Eier: ", "Kunde: ", "Fører: "]))
    b.add(full, "PERSON").add("\n")
    if v.chance(0.5):
        b.add(v.pick(["Fødselsnr.: ", "Fnr: ", "Fødselsnummer: "]))
        b.add(v.fnr(), "NO_FODSELSNUMMER").add("\n")
    b.add(v.pick(["Regnr: ", "Reg.nr. ", "Kjennemerke: ", "Bil: ", "Registreringsnummer: "]))
    b.add(v.plate(), "NO_LICENSE_PLATE").add(f" ({v.pick(CAR_MODELS)})\n")
    context = v.r.random()
    if context < 0.3:
        b.add(f"Skadedato: {v.date_str()} {v.time_str()}\nSkadested: ")
        b.add(v.address(), "NO_ADDRESS").add(" – rygget inn i en stolpe.\n")
    elif context < 0.5:
        b.add(f"Leasingavtale L-{v.r.randrange(10**5, 10**6)}, 36 mnd, levering {v.date_str()}\n")
    elif context < 0.7:
        b.add(
            f"Bompasseringer i {v.pick(MONTHS)}: {v.r.randrange(2, 60)} stk, "
            f"sum kr {v.r.randrange(100, 2000)},-\n"
        )
    else:
        b.add(f"Kontrollsanksjon fra Europark {v.date_str()}, {v.address_negative()}\n")
    if v.chance(0.6):
        b.add(v.pick(["Erstatning utbetales til ", "Utbetales til ", "Kontonr. "]))
        b.add(v.account(), "NO_BANK_ACCOUNT").add("\n")
    else:
        b.add("Kontakt: ").add(v.phone_plain(), "PHONE_NUMBER").add(f" {v.time_str()}\n")
    b.add(f"{v.plate_negative()}\n")


# --- support --------------------------------------------------------------------------------


def support_classic(v: Values, b: Builder) -> None:
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


def support_ticket(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(f"Ticket #{v.r.randrange(10**4, 10**7)}\nEmne: ")
    if v.chance(0.5):
        b.add(
            v.pick(
                [
                    "Overtakelse ",
                    "Vannlekkasje i ",
                    "Fiber til ",
                    "Måleravlesning ",
                    "Nøkler til ",
                    "Flytting fra ",
                    "Strøm i ",
                ]
            )
        )
        b.add(v.street_number(), "NO_ADDRESS")
    else:
        b.add(v.pick(SUBJECTS))
    b.add("\nFra: ").add(full, "PERSON").add(" <").add(v.email(first, last), "EMAIL_ADDRESS")
    b.add(f">\nOpprettet: {_stamp(v)}\nStatus: {v.pick(['Åpen', 'Ny', 'Venter på kunde'])}\n\n")
    b.add(v.pick(["Hei,\n\n", "Hei!\n", "Hallo\n\n", "Heisann,\n\n", ""]))
    _body(v, b, v.r.randint(1, 3))
    b.add("\n\n")
    b.add(v.pick(SIGN_OFFS)).add(v.pick([first, full]), "PERSON").add("\n")
    if v.chance(0.5):
        b.add(f"\n--- Internt notat ---\n{v.negative()} Tildelt ").add(v.first_name(), "PERSON")
        b.add(".\n")


def support_parking(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    plate = v.plate(lower=v.chance(0.15))
    b.add(
        v.pick(
            [
                "Sak: Klage på kontrollsanksjon\n",
                "Sak: Bompengefaktura\n",
                "Sak: Borttauing\n",
                "Kategori: Parkering\n",
            ]
        )
    )
    b.add("Kunde ").add(full, "PERSON").add(" mener ")
    b.add(v.pick(["boten for ", "fakturaen for ", "gebyret på "])).add(plate, "NO_LICENSE_PLATE")
    b.add(" er feil. ")
    b.add(
        v.pick(
            [
                f"Bilen sto parkert med gyldig billett. {v.address_negative()} ",
                f"{v.plate_negative()} ",
                "Kunden var bortreist. ",
            ]
        )
    )
    b.add(f"\nPassering {v.date_str()} {v.time_str()} på ")
    b.add(v.pick(["Ring 3", "E18 Vestkorridoren", "Bomstasjon Sandvika", "Rv. 4 Gjelleråsen"]))
    b.add(". ")
    if v.chance(0.5):
        b.add("Kunden har ringt ").add(v.phone_plain(), "PHONE_NUMBER").add(" i dag og ")
        b.add(v.pick(["er sint.", "vil ha svar skriftlig."]))
    else:
        b.add("Svar sendes til ").add(v.email(first, last), "EMAIL_ADDRESS").add(".")
    if v.chance(0.4):
        b.add(" Tilbakebetaling til ").add(v.account(), "NO_BANK_ACCOUNT").add(".")
    b.add(f"\n{v.number_negative()}\n")


def support_it(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(f"Hendelse INC{v.r.randrange(10**6, 10**7)}\nBruker: ").add(full, "PERSON")
    b.add(" (").add(v.email(first, last), "EMAIL_ADDRESS").add(")\nBeskrivelse: ")
    b.add(
        v.pick(
            [
                "Får ikke koblet til VPN over ",
                "Klarer ikke logge på over ",
                "Mister forbindelsen over ",
            ]
        )
    )
    b.add(v.ip(), "IP_ADDRESS").add(". ")
    b.add(v.pick(["Server ", "Filserver ", "Skriverserver ", "Proxy "])).add(v.ip(), "IP_ADDRESS")
    b.add(v.pick([" svarer ikke på ping.", " er nede.", " gir tidsavbrudd på port 443."]))
    b.add(f" Klientversjon {v.r.randrange(1, 9)}.{v.r.randrange(10)}.{v.r.randrange(20)}. ")
    b.add(f"{v.plate_negative()}\n")
    b.add(v.pick(["Kontakt: ", "Ring bruker på ", "Tlf. "])).add(v.phone(), "PHONE_NUMBER")
    b.add(f" {v.time_str()}\n" if v.chance(0.4) else "\n")
    b.add("Tildelt: ").add(v.first_name(), "PERSON").add(f" ({v.pick(TEAM_SIGNATURES)})\n")


def support_payment(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(v.pick(["Dobbelttrekk\n", "Betalingsproblem\n", "Kortbetaling feilet\n"]))
    b.add(full, "PERSON").add(" ble trukket to ganger på ")
    b.add(v.pick(["kortet ", "Mastercard ", "kort ", "Amex "])).add(v.card(), "CREDIT_CARD")
    b.add(f" {v.date_str()}. {v.number_negative()} ")
    b.add(f"Beløp kr {v.r.randrange(1, 9)} {v.r.randrange(100, 999)},00. ")
    b.add(v.pick(["Vi refunderer til samme kort.", "Refusjon godkjent."]))
    if v.chance(0.5):
        b.add(" Kunden ba om at pengene heller ")
        b.add(v.pick(["utbetales til ", "overføres til ", "settes inn på "]))
        b.add(v.account(v.pick(["plain", "spaced", "dotted"])), "NO_BANK_ACCOUNT").add(".")
    b.add(f"\n{v.negative()}\nSaksbehandler: ")
    b.add(v.pick([v.first_name(), v.person()[2]]), "PERSON").add("\n")


def support_refund(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(f"Refusjon – sak {v.r.randrange(10**5, 10**6)}\n")
    b.add("Refusjon godkjent for ").add(full, "PERSON").add(". ")
    form = v.r.random()
    if form < 0.5:
        _s_account(v, b)
    else:
        _s_iban(v, b)
    b.add(f"{v.negative()}\n")
    if v.chance(0.5):
        _s_org(v, b)
        b.add("\n")
    b.add("Behandlet av ").add(v.first_name(), "PERSON").add(f" {_stamp(v)}\n")


def support_callback(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(v.pick(["Tilbakeringing\n", "Henvendelse via telefon\n", "Ring tilbake!\n"]))
    b.add(v.pick(["Kunden ", "", "Innringer: "])).add(full, "PERSON")
    b.add(" har ringt ").add(v.phone_plain(), "PHONE_NUMBER")
    b.add(v.pick([" tre ganger i dag. ", " flere ganger. ", ". "]))
    b.add("Ønsker å bli ringt på ").add(v.phone(), "PHONE_NUMBER").add(f" {v.time_str()}. ")
    b.add(f"{v.number_negative()} {v.negative()}\n")
    if v.chance(0.4):
        b.add("Kunden oppga adressen ").add(v.address(), "NO_ADDRESS").add(".\n")
    b.add(v.pick(["Tatt av ", "Notert av ", "– "])).add(v.first_name(), "PERSON").add("\n")


# --- mail -----------------------------------------------------------------------------------


def mail_classic(v: Values, b: Builder) -> None:
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


def _sent_line(v: Values) -> str:
    r = v.r
    return (
        f"{r.randrange(1, 29)}. {r.choice(MONTHS)} 2026 {r.randrange(7, 23):02d}:"
        f"{r.randrange(60):02d}"
    )


def mail_reply(v: Values, b: Builder) -> None:
    s_first, s_last, s_full = v.person()
    company = v.company() if v.chance(0.6) else None
    recipients = [v.person() for _ in range(v.pick([1, 1, 2, 3]))]
    b.add(v.pick(["Fra: ", "From: "])).add(s_full, "PERSON").add(" <")
    sender = v.company_email(s_first, s_last, company) if company else v.email(s_first, s_last)
    b.add(sender, "EMAIL_ADDRESS").add(">\n")
    b.add(f"Sendt: {_sent_line(v)}\nTil: ")
    for i, (f, la, _) in enumerate(recipients):
        if i:
            b.add("; ")
        b.add(v.email(f, la), "EMAIL_ADDRESS")
    b.add(f"\nEmne: {v.pick(['SV: ', 'Re: ', 'VS: ', 'RE: ', ''])}{v.pick(SUBJECTS)}\n\n")
    _greeting(v, b, recipients[0][0], [p[0] for p in recipients[1:]])
    _body(v, b, v.r.randint(1, 3))
    if v.chance(0.3):
        b.add(f"{v.word_negative()} ")
    b.add("\n\n")
    _signature(v, b, s_first, s_full, company)
    if v.chance(0.3):
        q_first, q_last, q_full = recipients[0]
        b.add(f"\n{_sent_line(v)} skrev ").add(q_full, "PERSON").add(" <")
        b.add(v.email(q_first, q_last), "EMAIL_ADDRESS").add(">:\n> ")
        b.add(v.pick(["Hei ", "Hallo "])).add(s_first, "PERSON").add(f",\n> {v.negative()}\n")


def mail_nynorsk(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add("Frå: ").add(v.email(first, last), "EMAIL_ADDRESS")
    b.add(f"\nEmne: {v.pick(['Flytting', 'Spørsmål om faktura', 'Straum', 'Oppseiing'])}\n\n")
    b.add(v.pick(["Hei,\n\n", "Hei!\n\n", "God dag\n\n"]))
    b.add(v.pick(["Eg heiter ", "Mitt namn er ", "Dette er "])).add(full, "PERSON")
    b.add(" og eg har flytta til ").add(v.address(), "NO_ADDRESS")
    b.add(". Kan de endre adressa i systemet? ")
    if v.chance(0.5):
        b.add(v.pick(["Kontonummeret mitt er ", "Pengane kan betalast ut til "]))
        b.add(v.account(), "NO_BANK_ACCOUNT").add(". ")
    if v.chance(0.4):
        b.add("Fødselsnummeret mitt er ").add(v.fnr(), "NO_FODSELSNUMMER").add(". ")
    b.add("Ring meg gjerne på ").add(v.phone(), "PHONE_NUMBER")
    b.add(v.pick([" om det er noko.", " etter klokka fire.", "."]))
    b.add(f" {v.negative()}\n\n")
    b.add(v.pick(SIGN_OFFS_NN)).add(v.pick([first, full]), "PERSON").add("\n")


def mail_forward(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    colleague = v.first_name()
    me = v.first_name()
    b.add("Hei ").add(colleague, "PERSON").add(",\n\n")
    b.add(v.pick(["Kan du ta denne? ", "Videresender. ", "Se under. "]))
    b.add(v.pick(["Kunden heter ", "Det gjelder "])).add(full, "PERSON")
    b.add(v.pick([".\n\n", ", ring gjerne i dag.\n\n", ".\n\n"]))
    b.add(me, "PERSON").add("\n\n-----Opprinnelig melding-----\nFra: ").add(full, "PERSON")
    b.add(" <").add(v.email(first, last), "EMAIL_ADDRESS").add(f">\nSendt: {_sent_line(v)}\n")
    b.add("Til: ").add(
        f"post@{v.pick(['nordlysror.no', 'boligbyggelaget.no', 'kommunen.no'])}", "EMAIL_ADDRESS"
    )
    b.add("\nEmne: ")
    street = v.street_number()
    b.add(v.pick(["Overtakelse ", "Visning ", "Salg av ", "Oppussing i "]))
    b.add(street, "NO_ADDRESS").add("\n\nHei,\n\n")
    b.add("Vi overtar ").add(street, "NO_ADDRESS").add(v.pick([" 1. mars", " neste uke", ""]))
    b.add(". ")
    _body(v, b, v.r.randint(1, 2))
    b.add("\n\n")
    _signature(v, b, first, full, None)


def mail_short(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(f"Emne: Re: {v.pick(SUBJECTS)}\n\n")
    b.add(v.pick(["Takk, ", "Tusen takk, ", "Hei igjen "])).add(first, "PERSON").add(".\n\n")
    b.add(v.pick(["Det går fint. ", "Da gjør vi det sånn. ", "Flott! "]))
    _body(v, b, 1)
    b.add("\n\n")
    if v.chance(0.4):
        _team_signature(v, b)
    else:
        _, _, agent = v.person()
        b.add(v.pick(SIGN_OFFS)).add(agent, "PERSON").add(f"\n{v.pick(TEAM_SIGNATURES)}\n")
        b.add("Tlf. ").add(v.phone(), "PHONE_NUMBER").add("\n")


def mail_vehicle(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    b.add(f"Emne: {v.pick(['Skademelding', 'Leasingbil', 'Bompenger', 'Parkeringsbot'])} ")
    plate = v.plate()
    b.add(plate, "NO_LICENSE_PLATE").add("\n\n")
    b.add(v.pick(["Hei,\n\n", "Hei!\n\n", "Til den det gjelder\n\n"]))
    b.add(
        v.pick(
            [
                "Jeg rygget på en stolpe med ",
                "Jeg har fått bot på ",
                "Vi skal levere tilbake leasingbilen ",
                "Det er registrert en passering for ",
            ]
        )
    )
    b.add(plate, "NO_LICENSE_PLATE").add(f" {v.date_str()}. ")
    b.add(f"{v.plate_negative()} ")
    if v.chance(0.6):
        b.add("Forsikringstaker er ").add(full, "PERSON").add(", fnr ")
        b.add(v.fnr(), "NO_FODSELSNUMMER").add(". ")
    _s_account(v, b)
    b.add("\n\n")
    _signature(v, b, first, full, None)


# --- chat -----------------------------------------------------------------------------------


def chat_classic(v: Values, b: Builder) -> None:
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


def _chat_value(v: Values, b: Builder, lower: bool, first: str, last: str) -> None:
    """One customer message that ends in a value (the line break follows it directly)."""
    kind = v.r.random()
    if kind < 0.2:
        b.add(v.pick(["fnr er ", "fødselsnummeret mitt er ", "personnr ", "fnr: ", "fnr "]))
        b.add(v.fnr(), "NO_FODSELSNUMMER")
    elif kind < 0.38:
        b.add(
            v.pick(
                [
                    "nummeret mitt er ",
                    "ring meg på ",
                    "tlf ",
                    "mobilen min er ",
                    "dere kan nå meg på ",
                ]
            )
        )
        b.add(v.phone_plain() if v.chance(0.5) else v.phone(), "PHONE_NUMBER")
        if v.chance(0.3):
            b.add(f" {v.time_str()}")
    elif kind < 0.5:
        b.add(v.pick(["mailen er ", "e-post: ", "send det til "]))
        b.add(v.email(first, last), "EMAIL_ADDRESS")
    elif kind < 0.62:
        b.add(v.pick(["regnr ", "bilen har skilt ", "reg.nr ", "skiltet er ", "bilen er "]))
        b.add(v.plate(lower=lower or v.chance(0.3)), "NO_LICENSE_PLATE")
    elif kind < 0.76:
        b.add(v.pick(["adressen er ", "jeg bor i ", "leveres til ", "ny adresse: "]))
        b.add(v.address(lower=lower), "NO_ADDRESS")
    elif kind < 0.88:
        b.add(
            v.pick(
                ["kontonr ", "kan dere overføre til ", "kontonummeret er ", "pengene kan gå til "]
            )
        )
        b.add(v.account(), "NO_BANK_ACCOUNT")
    elif kind < 0.94:
        b.add(v.pick(["orgnr ", "orgnummer ", "org.nr. "])).add(v.orgnr(), "NO_ORG_NUMBER")
    else:
        b.add(v.pick(["kortet som ble trukket er ", "kortnr "])).add(v.card(), "CREDIT_CARD")


def _intro(v: Values, b: Builder, full: str, lower: bool) -> None:
    name = full.lower() if lower else full
    before = v.pick(
        [
            "hei det er ",
            "hei, det er ",
            "Hei! Jeg heter ",
            "hei, ",
            "hallo, mitt navn er ",
            "hei eg heiter ",
        ]
    )
    b.add(before if lower else before[:1].upper() + before[1:])
    b.add(name, "PERSON").add(" her" if before == "hei, " else "")


def chat_stamped(v: Values, b: Builder) -> None:
    """HH:MM speaker: message, speakers by role or by first name."""
    first, last, full = v.person()
    agent = v.first_name()
    tick = v.clock()
    lower = v.chance(0.5)
    customer_role = v.pick(["Kunde", "kunde", "Besøkende", "Du"])
    agent_role = v.pick(["Agent", "Kundeservice", "Rådgiver", "Support", "Operatør"])
    named = v.chance(0.4)

    def speaker(is_customer: bool) -> None:
        if named and is_customer:
            b.add(first, "PERSON")
        elif named:
            b.add(agent, "PERSON")
        else:
            b.add(customer_role if is_customer else agent_role)
        b.add(": ")

    bracket = v.chance(0.4)

    def line(is_customer: bool) -> None:
        b.add(f"[{tick()}] " if bracket else f"{tick()} ")
        speaker(is_customer)

    line(True)
    _intro(v, b, full if v.chance(0.6) else first, lower)
    b.add("\n")
    line(False)
    b.add(v.pick(["Hei ", "Hei, ", "Hallo "])).add(first, "PERSON")
    b.add(v.pick(["! Du snakker med ", ", du snakker med ", ". Mitt navn er "]))
    b.add(agent, "PERSON").add(v.pick([". Hva gjelder det?", ", hva kan jeg hjelpe med?", "."]))
    b.add("\n")
    for _ in range(v.r.randint(1, 3)):
        line(True)
        _chat_value(v, b, lower, first, last)
        b.add("\n")
        line(False)
        if v.chance(0.5):
            b.add(v.pick(["Takk, ", "Takk ", "Supert, ", "Ok "])).add(first, "PERSON")
            b.add(v.pick([". Et øyeblikk.", "! Jeg sjekker.", ", da ser jeg den.", "."]))
        else:
            b.add(
                v.pick(
                    [
                        "Takk! Et øyeblikk.",
                        "Den har jeg notert.",
                        "Mottatt.",
                        f"Takk. {v.number_negative()}",
                        f"Supert. {v.negative()}",
                    ]
                )
            )
        b.add("\n")
    if v.chance(0.4):
        b.add(f"[{tick()}] " if bracket else f"{tick()} ")
        b.add("System: Samtalen er overført til ").add(v.first_name(), "PERSON").add("\n")
    line(True)
    b.add(v.pick(["tusen takk 👍", "ok takk", "supr, takk!!", "takk for hjelpen", "👍"]))
    b.add("\n")


def chat_bot(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    agent = v.first_name()
    lower = v.chance(0.6)
    bot = v.pick(["Chatbot", "Bot", "Assistent"])
    role = v.pick(["Kundeservice", "Agent", "Kundebehandler"])
    b.add(f"{bot}: Hei! Jeg er en digital assistent. Hva gjelder det?\n")
    b.add(f"Kunde: {v.pick(['snakke med et menneske', 'faktura', 'SNAKKE MED AGENT'])}\n")
    b.add(f"{bot}: Et øyeblikk, du blir satt over.\n")
    b.add(f"{role}: Hei, du snakker med ").add(agent, "PERSON").add(". Hvem snakker jeg med?\n")
    b.add("Kunde: ")
    _intro(v, b, full, lower)
    b.add("\n")
    b.add(f"{role}: Hei ").add(first, "PERSON").add("! Kan du bekrefte fødselsnummeret ditt?\n")
    b.add("Kunde: ").add(v.fnr(), "NO_FODSELSNUMMER").add("\n")
    b.add(f"{role}: Takk. ")
    b.add(v.pick([f"{v.negative()}", "Jeg ser saken din nå.", f"{v.word_negative()}"]))
    b.add("\nKunde: ")
    _chat_value(v, b, lower, first, last)
    b.add("\n")
    b.add(f"{role}: Takk, ").add(first, "PERSON").add(". Ha en fin dag!\n")


def chat_nynorsk(v: Values, b: Builder) -> None:
    first, last, full = v.person()
    tick = v.clock()
    agent = v.first_name()
    b.add(f"{tick()} kunde: hei, eg heiter ").add(full.lower(), "PERSON").add("\n")
    b.add(f"{tick()} ").add(agent, "PERSON").add(": Hei ").add(first, "PERSON")
    b.add("! Kva kan eg hjelpe deg med?\n")
    b.add(f"{tick()} kunde: eg har flytta til ").add(v.address(lower=True), "NO_ADDRESS")
    b.add("\n")
    b.add(f"{tick()} kunde: ")
    _chat_value(v, b, True, first, last)
    b.add("\n")
    b.add(f"{tick()} ").add(agent, "PERSON").add(": Takk, det er notert. ")
    b.add(f"{v.negative()}\n")
    b.add(f"{tick()} kunde: takk skal du ha\n")


# --- structured data: exports, records, logs, tables, quoted mail, English -----------------
#
# Written from the classes of evidence real company data has, not from particular strings:
# a value's field (CSV column, JSON key, vCard property, `key: value` label) says what it is;
# names stand alone in their own fields, in ALL CAPS, "Surname, First", with particles;
# logs hold version numbers, build strings, user agents and month abbreviations that look
# like addresses and names; quoted replies repeat signatures behind "> ".

# fmt: off
PARTICLE_LAST = [
    "van den Berg", "van der Meer", "de Souza", "von Hirsch", "van Dijk", "de Vries",
    "dos Santos", "da Silva", "de la Cruz", "ter Horst", "di Marco", "van Leeuwen",
    "von der Lippe", "de Jong", "le Roux", "del Rosario", "van Beek", "de Wit",
]
PARTICLE_FIRST = ["Pieter", "Lucas", "Ana", "Johannes", "Daan", "Sanne", "Rafael", "Joana",
                  "Matteo", "Giulia", "Maximilian", "Sophie", "Thomas", "Inês"]
SAMI_FIRST = ["Áile", "Máret", "Ánde", "Biret", "Elle", "Niillas", "Sunná", "Risten",
              "Máhtte", "Jovnna", "Heaika", "Ásllat", "Gáren", "Ristin", "Ánne", "Inger Máret",
              "Sárá", "Ovllá", "Iŋgá", "Čeavrret"]
SAMI_LAST = ["Gaup", "Somby", "Eira", "Hætta", "Utsi", "Balto", "Bongo", "Magga", "Turi",
             "Oskal", "Triumf", "Sara", "Buljo", "Skum", "Labba", "Anti", "Mienna", "Siri"]
VIET_FIRST = ["Thuy", "Huong", "Nhung", "Khanh", "Trang", "Hieu", "Phuc", "Thao", "Quynh",
              "Hanh", "Nguyet", "Tuyet", "Thanh", "Minh Chau", "Bao Ngoc", "Dung"]
VIET_LAST = ["Nguyen", "Tran", "Pham", "Le", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do",
             "Ngo", "Duong", "Ly", "Truong"]
# First names that are everyday words too: names only where a slot puts them.
WORD_FIRST = ["Even", "Dag", "Bjørn", "Stein", "Sol", "Siv", "Eli", "Storm", "Vår", "Ask"]
# Full names of people whose given and family names this generator draws apart.
HEADERS_FIRST = ["Fornavn", "First name", "first_name", "firstName", "Given name", "FORNAVN",
                 "fornavn"]
HEADERS_LAST = ["Etternavn", "Last name", "last_name", "lastName", "Surname", "ETTERNAVN",
                "etternavn", "Family name"]
HEADERS_FULL = ["Navn", "Name", "Fullt navn", "Kundenavn", "Kontaktperson", "Full name",
                "NAVN", "customer_name", "Deltaker", "Ansatt"]
HEADERS_PHONE = ["Mobil", "Telefon", "Tlf", "Phone", "mobile", "Mobilnummer", "phone_number",
                 "TLF", "Kontakttelefon"]
HEADERS_MAIL = ["E-post", "Epost", "Email", "e_mail", "E-postadresse"]
HEADERS_ACCOUNT = ["Kontonummer", "Bankkonto", "Account", "bank_account", "Account no",
                   "Utbetalingskonto", "kontonr"]
HEADERS_FNR = ["Fødselsnummer", "Fnr", "Personnummer", "fnr", "national_id", "Person-ID"]
HEADERS_ORG = ["Orgnr", "Org.nr", "Organisasjonsnummer", "org_number", "Foretaksnr"]
HEADERS_ADDRESS = ["Adresse", "Gateadresse", "Address", "street_address", "Postadresse"]
HEADERS_PLATE = ["Regnr", "Reg.nr", "Kjennemerke", "Registreringsnummer", "plate"]
# Columns that hold numbers that are no personal data.
HEADERS_NEGATIVE = [
    ("Kundenr", 8), ("Ordrenr", 8), ("Adgangskort", 8), ("Kortnr adgang", 10),
    ("Ansattnr", 6), ("Medlemsnr", 8), ("Saksnr", 8), ("ID", 7), ("Lager", 8),
    ("Antall", 3), ("Badge", 8), ("Ref", 9),
]
SYSLOG_HOSTS = ["web01", "app-prod-2", "db03", "mail", "fw-edge", "kube-node-7", "lb1"]
SYSLOG_PROCS = ["sshd", "nginx", "postfix/smtpd", "systemd", "cron", "dovecot", "kernel",
                "haproxy", "sudo"]
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_ABBR_NO = ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov",
                 "des"]
WEEKDAY_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Man", "Tir", "Ons", "Tor",
                "Fre", "Lør", "Søn"]
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{a}.0.{b}.{c} Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.{c}.1 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{a}.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:{a}.0) Gecko/20100101 Firefox/{a}.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{a}.0.{b}.{c} Safari/537.36 Edg/{a}.0.{b}.{c}",
    "MinBank/{d}.{e}.0.{c} (iPhone; iOS 17.{e}; Scale/3.00)",
    "okhttp/4.{e}.0 KundeApp/{d}.{e}.{c}.{b}",
]
APP_NAMES = ["KundeApp", "MinSide", "Portal", "Selvbetjening", "Kasse", "Booking"]
MC_MODELS = ["Yamaha MT-07", "Honda CB500F", "Kawasaki Z900", "BMW R 1250 GS", "Ducati Monster",
             "KTM 390 Duke", "Harley-Davidson Sportster", "Triumph Bonneville",
             "Suzuki V-Strom 650"]
CAR_MODELS_MORE = ["Polestar 2", "MG4", "Cupra Born", "Peugeot e-208", "Mazda CX-5",
                   "Hyundai Ioniq 5", "Kia EV6", "Skoda Enyaq", "BYD Atto 3", "Ford Mustang Mach-E",
                   "Volvo V60", "Mercedes EQA", "Audi Q4", "Toyota Corolla", "Renault Zoe",
                   "Opel Corsa-e", "Nissan Ariya", "Subaru Outback", "Citroën C4", "Xpeng G9"]
UNLISTED_STREET_NAMES = ["Wergelands", "Tordenskiolds", "Fearnleys", "Grüners", "Rosenkrantz",
                         "Welhavens", "Arbos", "Falsens", "Munthes", "Collets", "Bernt Ankers",
                         "Hambros", "Sinsens", "Vogts", "Schweigaards", "Tollbu", "Rådhus",
                         "Kirkegårds", "Ulleval", "Dokk", "Bispe", "Tinghus"]
STREET_WORDS_APART = ["gate", "gate", "vei", "veg", "allé", "plass"]
FARMS = ["Nedre Haug", "Øvre Rud", "Søndre Li", "Nordre Bøe", "Vestre Moen", "Haugsvoll",
         "Bjørnstad gård", "Kvåle", "Myklebust", "Tveiten", "Nes gard", "Skjelde", "Helland",
         "Rudsmoen", "Lien gård"]
ENGLISH_CUES_ACCOUNT = ["Account number: ", "Acct no. ", "Please pay to account ",
                        "Bank account ", "Payout account: ", "account_no="]
# fmt: on


def person_varied(v: Values) -> tuple[str, str]:
    """(given names, family name) from the wider pools: particles, Sami, Vietnamese, word
    names, or the common ones."""
    r = v.r
    kind = r.random()
    if kind < 0.12:
        return r.choice(PARTICLE_FIRST), r.choice(PARTICLE_LAST)
    if kind < 0.22:
        return r.choice(SAMI_FIRST), r.choice(SAMI_LAST + NO_LAST[:20])
    if kind < 0.32:
        first = r.choice(VIET_FIRST)
        if r.random() < 0.4:
            first = f"{r.choice(['Thi', 'Van', 'Thị', 'Văn'])} {first}"
        return first, r.choice(VIET_LAST)
    if kind < 0.4:
        return r.choice(WORD_FIRST), r.choice(NO_LAST)
    first, last, _ = v.person()
    return first, last


def phone_hyphen(v: Values) -> str:
    n = v.phone_plain()
    mobile = n[0] in "49"
    form = v.r.choice(
        [f"{n[:3]}-{n[3:5]}-{n[5:]}", f"{n[:2]}-{n[2:4]}-{n[4:6]}-{n[6:]}", f"{n[:4]}-{n[4:]}"]
        if mobile
        else [f"{n[:2]}-{n[2:4]}-{n[4:6]}-{n[6:]}", f"{n[:4]}-{n[4:]}"]
    )
    return v.pick(["", "", "+47 "]) + form


def phone_any(v: Values) -> str:
    r = v.r.random()
    if r < 0.25:
        return phone_hyphen(v)
    if r < 0.5:
        return v.phone_plain()
    return v.phone()


def fnr_any(v: Values) -> str:
    n = v.fnr(spaced=False)
    return v.pick([n, n, f"{n[:6]} {n[6:]}", f"{n[:6]}-{n[6:]}"])


def unlisted_street(v: Values) -> str:
    """A street named after a person or place no list holds, the street word apart."""
    r = v.r
    if r.random() < 0.25:
        return r.choice(FARMS)
    return f"{r.choice(UNLISTED_STREET_NAMES)} {r.choice(STREET_WORDS_APART)}"


def street_any(v: Values) -> str:
    return unlisted_street(v) if v.chance(0.35) else v.street()


def plate_any(v: Values) -> tuple[str, str]:
    """(vehicle, plate): cars with five digits, motorcycles with four."""
    r = v.r
    letters = r.choice(PLATE_LETTERS)
    if r.random() < 0.35:
        digits = f"{r.randrange(1000, 9999)}"
        vehicle = r.choice(MC_MODELS)
    else:
        digits = f"{r.randrange(10000, 99999)}"
        vehicle = r.choice(CAR_MODELS + CAR_MODELS_MORE)
    return vehicle, (f"{letters} {digits}" if r.random() < 0.6 else f"{letters}{digits}")


def _caps(v: Values, name: str, p: float) -> str:
    return name.upper() if v.chance(p) else name


def _cell(v: Values, kind: str, first: str, last: str) -> tuple[str, str | None]:
    """The value of a column of ``kind`` and its label."""
    if kind == "first":
        return _caps(v, first, 0.15), "PERSON"
    if kind == "last":
        return _caps(v, last, 0.15), "PERSON"
    if kind == "full":
        if v.chance(0.2):
            return f"{last}, {first}", "PERSON"
        return _caps(v, f"{first} {last}", 0.15), "PERSON"
    if kind == "phone":
        return phone_any(v), "PHONE_NUMBER"
    if kind == "mail":
        return v.email(first, last.split()[-1]), "EMAIL_ADDRESS"
    if kind == "account":
        return v.account(v.pick(["plain", "plain", "dotted"])), "NO_BANK_ACCOUNT"
    if kind == "fnr":
        return fnr_any(v), "NO_FODSELSNUMMER"
    if kind == "org":
        return v.orgnr(v.pick(["plain", "plain", "spaced"])), "NO_ORG_NUMBER"
    if kind == "address":
        return f"{street_any(v)} {v.house_number()}", "NO_ADDRESS"
    if kind == "plate":
        return plate_any(v)[1], "NO_LICENSE_PLATE"
    raise ValueError(kind)


_HEADERS = {
    "first": HEADERS_FIRST,
    "last": HEADERS_LAST,
    "full": HEADERS_FULL,
    "phone": HEADERS_PHONE,
    "mail": HEADERS_MAIL,
    "account": HEADERS_ACCOUNT,
    "fnr": HEADERS_FNR,
    "org": HEADERS_ORG,
    "address": HEADERS_ADDRESS,
    "plate": HEADERS_PLATE,
}


def _columns(v: Values) -> list[tuple[str, str]]:
    """(header, kind) of an export's columns; kind "neg:N" is an N-digit look-alike."""
    r = v.r
    kinds = ["first", "last"] if r.random() < 0.6 else ["full"]
    kinds += r.sample(
        ["phone", "mail", "account", "fnr", "address", "plate", "org"], r.randint(2, 4)
    )
    columns = [(r.choice(_HEADERS[k]), k) for k in kinds]
    for header, digits in r.sample(HEADERS_NEGATIVE, r.randint(1, 2)):
        columns.insert(r.randrange(len(columns) + 1), (header, f"neg:{digits}"))
    return columns


def _negative_cell(v: Values, kind: str) -> str:
    digits = int(kind.split(":")[1])
    return v.failing(digits, v.pick("1234567")) if digits in (9, 11) else v.failing(digits)


def export_csv(v: Values, b: Builder) -> None:
    """A semicolon (or comma, tab) export with a header row."""
    sep = v.pick([";", ";", ";", ",", "\t"])
    columns = _columns(v)
    if sep == ",":
        columns = [(h, k) for h, k in columns if k not in ("full", "address")] or columns[:1]
    b.add(sep.join(h for h, _ in columns) + "\n")
    for _ in range(v.r.randint(2, 6)):
        first, last = person_varied(v)
        for i, (_, kind) in enumerate(columns):
            if i:
                b.add(sep)
            if kind.startswith("neg:"):
                b.add(_negative_cell(v, kind))
                continue
            value, label = _cell(v, kind, first, last)
            if sep == "," and "," in value:
                value = value.replace(",", "")
            quote = v.chance(0.15) and sep != "\t"
            b.add('"' if quote else "").add(value, label).add('"' if quote else "")
        b.add("\n")


_JSON_KEYS = {
    "first": ["first", "firstName", "first_name", "given", "fornavn"],
    "last": ["last", "lastName", "last_name", "family", "etternavn", "surname"],
    "full": ["name", "fullName", "displayName", "navn", "contact_name"],
    "phone": ["phone", "mobile", "tlf", "msisdn", "phoneNumber", "telefon"],
    "mail": ["email", "epost", "mail"],
    "account": ["bankAccount", "account", "kontonr", "payout_account"],
    "fnr": ["ssn", "fnr", "nationalId", "personnummer"],
    "org": ["orgnr", "organizationNumber", "org_no"],
    "address": ["street", "address1", "gateadresse", "addressLine"],
    "plate": ["regnr", "licensePlate", "plate"],
}


def _json_string(b: Builder, value: str, label: str | None) -> None:
    b.add('"').add(value.replace('"', ""), label).add('"')


def export_json(v: Values, b: Builder) -> None:
    """A nested JSON export of one customer: names in their own keys, numbers as strings,
    a metadata block with versions, ids and timestamps."""
    r = v.r
    pretty = r.random() < 0.6
    nl, ind = ("\n", "  ") if pretty else ("", "")
    sp = " " if pretty else ""
    first, last = person_varied(v)
    person: list[tuple[str, str]] = []
    if r.random() < 0.7:
        person.append(("name", "split"))
    else:
        person.append((r.choice(_JSON_KEYS["full"]), "full"))
    for kind in r.sample(["phone", "mail", "account", "fnr", "address", "plate"], r.randint(2, 4)):
        person.append((r.choice(_JSON_KEYS[kind]), kind))
    b.add("{" + nl + ind + f'"id":{sp}{r.randrange(10**6, 10**8)},' + nl)
    b.add(ind + f'"type":{sp}"{r.choice(["customer", "contact", "kunde", "lead"])}",' + nl)
    b.add(ind + f'"{r.choice(["customer", "kunde", "person", "contact"])}":{sp}{{' + nl)
    for i, (key, kind) in enumerate(person):
        b.add(ind * 2 + f'"{key}":{sp}')
        if kind == "split":
            fk, lk = r.choice(list(zip(_JSON_KEYS["first"], _JSON_KEYS["last"], strict=False)))
            b.add("{" + nl + ind * 3 + f'"{fk}":{sp}')
            _json_string(b, first, "PERSON")
            b.add("," + nl + ind * 3 + f'"{lk}":{sp}')
            _json_string(b, last, "PERSON")
            b.add(nl + ind * 2 + "}")
        elif kind == "address":
            b.add("{" + nl + ind * 3 + f'"{key}":{sp}')
            _json_string(b, f"{street_any(v)} {v.house_number()}", "NO_ADDRESS")
            postnr, place = r.choice(ALL_PLACES)
            b.add("," + nl + ind * 3 + f'"zip":{sp}"{postnr}",{nl}{ind * 3}"city":{sp}"{place}"')
            b.add(nl + ind * 2 + "}")
        else:
            value, label = _cell(v, kind, first, last)
            _json_string(b, value, label)
        b.add(("," if i < len(person) - 1 else "") + nl)
    b.add(ind + "}," + nl)
    b.add(ind + f'"meta":{sp}{{' + nl)
    meta = [
        f'"app_version":{sp}"{r.randrange(1, 9)}.{r.randrange(30)}.{r.randrange(10)}.'
        f'{r.randrange(300)}"',
        f'"created":{sp}"2026-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}T'
        f'{r.randrange(24):02d}:{r.randrange(60):02d}:00Z"',
        f'"source":{sp}"{r.choice(["crm", "webshop", "import", "api"])}"',
        f'"customer_no":{sp}"{r.randrange(10**7, 10**8)}"',
        f'"build":{sp}"{r.randrange(2020, 2027)}.{r.randrange(1, 13)}.{r.randrange(1, 29)}.'
        f'{r.randrange(1, 255)}"',
    ]
    b.add(("," + nl).join(ind * 2 + m for m in r.sample(meta, r.randint(2, 5))) + nl)
    b.add(ind + "}" + nl + "}\n")


def vcard(v: Values, b: Builder) -> None:
    first, last = person_varied(v)
    b.add("BEGIN:VCARD\nVERSION:3.0\nN:").add(last, "PERSON").add(";").add(first, "PERSON")
    b.add(";;;\nFN:").add(f"{first} {last}", "PERSON").add("\n")
    if v.chance(0.5):
        b.add(f"ORG:{v.company()}\n")
    b.add(v.pick(["TEL;TYPE=CELL:", "TEL;TYPE=cell,voice:", "TEL:"]))
    b.add(v.pick([v.phone(), v.phone_plain(True)]), "PHONE_NUMBER").add("\n")
    b.add("EMAIL;TYPE=INTERNET:").add(v.email(first, last.split()[-1]), "EMAIL_ADDRESS").add("\n")
    if v.chance(0.5):
        postnr, place = v.pick(ALL_PLACES)
        b.add("ADR;TYPE=HOME:;;").add(f"{street_any(v)} {v.house_number()}", "NO_ADDRESS")
        b.add(f";{place};;{postnr};Norge\n")
    b.add(f"REV:2026-{v.r.randrange(1, 13):02d}-{v.r.randrange(1, 29):02d}T10:00:00Z\n")
    b.add("END:VCARD\n")


_FORM_LABELS = {
    "first": ["Fornavn: ", "First name: ", "Given name: ", "Fornamn: "],
    "last": ["Etternavn: ", "Last name: ", "Surname: ", "Etternamn: "],
    "phone": ["Telefon: ", "Phone: ", "Mob.: ", "M: ", "T: ", "Tlf: "],
    "mail": ["E-post: ", "Email: "],
    "account": ["Kontonummer for utbetaling: ", "Account number: ", "Bank account: ", "Kontonr.: "],
    "fnr": ["Fødselsnummer: ", "Personnummer (11 siffer): ", "National ID: "],
    "address": ["Adresse: ", "Address: ", "Gateadresse: "],
    "plate": ["Registreringsnummer: ", "Reg.nr.: "],
}


def web_form(v: Values, b: Builder) -> None:
    """A submitted web form: one `Label: value` per line, Norwegian or English labels."""
    first, last = person_varied(v)
    b.add(v.pick(["Skjema: Kontakt oss\n", "Form submission\n", "Ny henvendelse fra nettsiden\n"]))
    b.add(f"Innsendt: {_stamp(v)}\n")
    kinds = ["first", "last", *v.r.sample(list(_FORM_LABELS)[2:], v.r.randint(2, 4))]
    for kind in kinds:
        b.add(v.pick(_FORM_LABELS[kind]))
        value, label = _cell(v, kind, first, last)
        if kind in ("first", "last"):
            value = first if kind == "first" else last
        b.add(value, label).add("\n")
    b.add(f"Melding: {v.negative()} {v.word_negative()}\n")
    b.add("Samtykke: ja\nIP: ").add(v.ip(), "IP_ADDRESS").add("\n")


def _ua(v: Values) -> str:
    r = v.r
    return r.choice(BROWSERS).format(
        a=r.randrange(100, 131),
        b=r.randrange(1000, 7000),
        c=r.randrange(1, 250),
        d=r.randrange(1, 12),
        e=r.randrange(0, 10),
    )


def _ipv4(v: Values) -> str:
    r = v.r
    return ".".join(str(r.randrange(1, 255)) for _ in range(4))


def server_log(v: Values, b: Builder) -> None:
    """Server and application logs: syslog lines, access logs with user agents, app logs
    with key=value pairs, versions and build strings."""
    r = v.r
    for _ in range(r.randint(3, 7)):
        kind = r.random()
        month, day = r.choice(MONTH_ABBR), r.randrange(1, 29)
        clock = f"{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}"
        if kind < 0.25:
            proc = r.choice(SYSLOG_PROCS)
            b.add(
                f"{month} {day:>2} {clock} {r.choice(SYSLOG_HOSTS)} "
                f"{proc}[{r.randrange(100, 65000)}]: "
            )
            msg = r.random()
            if msg < 0.4:
                b.add("Accepted publickey for deploy from ").add(_ipv4(v), "IP_ADDRESS")
                b.add(f" port {r.randrange(1024, 65535)} ssh2\n")
            elif msg < 0.7:
                b.add("connect from unknown[").add(_ipv4(v), "IP_ADDRESS").add("]\n")
            else:
                b.add(
                    f"Started {r.choice(['logrotate', 'certbot', 'backup'])}.service, "
                    f"version {r.randrange(1, 9)}.{r.randrange(20)}.{r.randrange(10)}."
                    f"{r.randrange(999)}\n"
                )
        elif kind < 0.5:
            ip = _ipv4(v)
            b.add(ip, "IP_ADDRESS").add(f' - - [{day:02d}/{month}/2026:{clock} +0100] "')
            b.add(
                f"{r.choice(['GET', 'POST'])} "
                f"/{r.choice(['api/v2/orders', 'login', 'static/app.js', 'min-side'])} "
                f'HTTP/1.1" {r.choice([200, 200, 302, 404, 500])} {r.randrange(100, 90000)} "-" "'
            )
            b.add(_ua(v)).add('"\n')
        elif kind < 0.75:
            level = r.choice(["INFO", "WARN", "ERROR", "DEBUG"])
            b.add(
                f"2026-{r.randrange(1, 13):02d}-{day:02d}T{clock}.{r.randrange(1000):03d}Z {level} "
                f"[{r.choice(APP_NAMES)}/{r.randrange(1, 9)}.{r.randrange(20)}.{r.randrange(10)}."
                f"{r.randrange(500)}] "
            )
            event = r.random()
            first, last = person_varied(v)
            if event < 0.35:
                b.add(f'order.created id={r.randrange(10**7, 10**8)} customer="')
                b.add(f"{first} {last}", "PERSON").add('" phone=')
                b.add(v.phone_plain(), "PHONE_NUMBER").add("\n")
            elif event < 0.6:
                b.add("login ok user_id=").add(f"{r.randrange(10**5, 10**6)}").add(" ip=")
                b.add(_ipv4(v), "IP_ADDRESS").add(f' ua="{_ua(v)}"\n')
            elif event < 0.8:
                b.add("payout queued account=").add(v.account("plain"), "NO_BANK_ACCOUNT")
                b.add(
                    f" amount={r.randrange(100, 9999)}.00 build={r.randrange(1, 5)}."
                    f"{r.randrange(10)}.{r.randrange(10)}.{r.randrange(9999)}\n"
                )
            else:
                b.add(
                    f"client upgraded from {r.randrange(1, 9)}.{r.randrange(10)}.{r.randrange(10)}."
                    f"{r.randrange(200)} to {r.randrange(1, 9)}.{r.randrange(10)}."
                    f"{r.randrange(10)}.{r.randrange(200)}\n"
                )
        else:
            event = r.choice(["page_view", "click", "signup", "purchase"])
            b.add(
                f'{{"event":"{event}","ts":"2026-{r.randrange(1, 13):02d}-{day:02d}T{clock}Z",'
                f'"ip":"'
            )
            b.add(_ipv4(v), "IP_ADDRESS")
            b.add(
                f'","ua":"{_ua(v)}","sdk":"{r.randrange(1, 9)}.{r.randrange(20)}.{r.randrange(10)}.'
                f'{r.randrange(300)}","session":"{r.randrange(16**8):08x}"}}\n'
            )


def meeting_table(v: Values, b: Builder) -> None:
    """Minutes with participants, a pipe table of contacts and speaker lines."""
    people = [person_varied(v) for _ in range(v.r.randint(2, 4))]
    b.add(
        f"Referat {v.pick(['styremøte', 'prosjektmøte', 'statusmøte', 'oppstartsmøte'])} "
        f"{v.date_str()}\n\n"
    )
    b.add(
        "| Navn | Rolle | Telefon |\n|---|---|---|\n" if v.chance(0.5) else "Navn\tRolle\tTelefon\n"
    )
    pipe = b.parts[-1].startswith("|")
    for first, last in people:
        role = v.pick(["Prosjektleder", "Referent", "Økonomi", "Leverandør", "Styreleder"])
        name = _caps(v, f"{first} {last}", 0.1)
        if pipe:
            b.add("| ").add(name, "PERSON").add(f" | {role} | ").add(phone_any(v), "PHONE_NUMBER")
            b.add(" |\n")
        else:
            b.add(name, "PERSON").add(f"\t{role}\t").add(phone_any(v), "PHONE_NUMBER").add("\n")
    b.add("\n")
    for first, last in v.r.sample(people, min(len(people), 3)):
        b.add(v.pick([f"{first} {last}", first, _caps(v, first, 0.5)]), "PERSON")
        b.add(f": {v.pick(['Vi må avklare budsjettet.', 'Jeg ringer leverandøren.', 'Enig.'])}\n")
    b.add(f"\nNeste møte {v.pick(WEEKDAY_ABBR)} {v.r.randrange(1, 29)}. {v.pick(MONTH_ABBR_NO)}.\n")


def bank_statement(v: Values, b: Builder) -> None:
    """Bank transfers: ALL CAPS names, account numbers with English or field cues."""
    r = v.r
    b.add(v.pick(["Dato;Tekst;Beløp;Konto\n", "Date;Description;Amount;Account\n"]))
    for _ in range(r.randint(2, 5)):
        first, last = person_varied(v)
        b.add(f"{r.randrange(1, 29):02d}.{r.randrange(1, 13):02d}.2026;")
        b.add(v.pick(["OVERFØRING TIL ", "VIPPS *", "Fra: ", "GIRO "]))
        b.add(f"{first} {last}".upper(), "PERSON")
        b.add(f";{v.pick(['-', ''])}{r.randrange(10, 9999)},{r.randrange(100):02d};")
        b.add(v.account(v.pick(["plain", "dotted"])), "NO_BANK_ACCOUNT").add("\n")
    first, last = person_varied(v)
    b.add("\n").add(v.pick(ENGLISH_CUES_ACCOUNT)).add(v.account(), "NO_BANK_ACCOUNT")
    before, after = v.pick([(" (", ")\n"), (", beneficiary ", "\n")])
    b.add(before).add(f"{first} {last}".upper(), "PERSON").add(after)


def mail_quoted(v: Values, b: Builder) -> None:
    """A reply above a quoted thread: the quoted signature keeps its numbers behind "> "."""
    me_first, me_last = person_varied(v)
    them_first, them_last = person_varied(v)
    b.add(v.pick(["Hei ", "Hi ", "Takk, ", "Dear "])).add(them_first, "PERSON").add(",\n\n")
    b.add(v.pick(["Det passer fint. ", "Sounds good, see you then. ", "Vi ordner det. "]))
    if v.chance(0.4):
        b.add("Even so, we still need the signed contract. ")
    b.add("\n\n").add(v.pick(["Mvh\n", "Best regards\n", "Hilsen\n", "Cheers,\n"]))
    b.add(me_first, "PERSON").add("\n\n")
    b.add(
        v.pick(
            [
                f"Den {_sent_line(v)} skrev ",
                f"On {v.pick(WEEKDAY_ABBR[:7])}, "
                f"{v.r.randrange(1, 29)} {v.pick(MONTH_ABBR)} 2026, ",
            ]
        )
    )
    b.add(f"{them_first} {them_last}", "PERSON").add(" <")
    b.add(v.email(them_first, them_last.split()[-1]), "EMAIL_ADDRESS").add(">:\n")
    b.add("> ").add(v.pick(["Hei ", "Hi ", "Hallo "])).add(me_first, "PERSON").add(",\n>\n> ")
    b.add(v.pick(["Kan vi flytte møtet? ", "Can we move the meeting? ", "Se vedlagt tilbud. "]))
    if v.chance(0.5):
        b.add(v.pick(["Ring meg på ", "Call me at "])).add(phone_any(v), "PHONE_NUMBER").add(". ")
    b.add(f"{v.negative()}\n>\n> ").add(v.pick(["Mvh\n> ", "Regards,\n> ", "Hilsen\n> "]))
    b.add(f"{them_first} {them_last}", "PERSON").add("\n> ")
    b.add(v.pick(["M: ", "T: ", "Mob ", "M "])).add(v.phone_plain(True), "PHONE_NUMBER").add("\n")
    if v.chance(0.5):
        b.add("> ").add(v.pick(["Org.nummeret vårt er ", "Orgnummeret: ", "org.nr.: "]))
        b.add(v.orgnr("plain"), "NO_ORG_NUMBER").add("\n")
    if v.chance(0.4):
        b.add(f"> Adgangskort nr. {v.failing(8, v.pick('49'))} er sperret.\n")


def english_mixed(v: Values, b: Builder) -> None:
    """English mixed with Norwegian, as in international teams."""
    first, last = person_varied(v)
    agent, _ = person_varied(v)
    b.add(v.pick(["Hi ", "Dear ", "Hello "])).add(first, "PERSON").add(",\n\n")
    b.add(
        v.pick(
            [
                "Even so, the refund is delayed. ",
                "Even if the form is late, we accept it. ",
                "May I ask you to confirm? ",
                "Thanks for the call today. ",
            ]
        )
    )
    form = v.r.random()
    if form < 0.3:
        b.add("Your account no. ").add(v.account(), "NO_BANK_ACCOUNT").add(" has been updated. ")
    elif form < 0.55:
        b.add("We will call you on ").add(phone_any(v), "PHONE_NUMBER").add(" tomorrow. ")
    elif form < 0.75:
        vehicle, plate = plate_any(v)
        b.add(f"Your {vehicle} ").add(plate, "NO_LICENSE_PLATE").add(" is ready for pick-up. ")
    else:
        b.add("The company's org.nummeret is ").add(v.orgnr("plain"), "NO_ORG_NUMBER").add(". ")
    b.add(
        f"Server was upgraded to version {v.r.randrange(1, 9)}.{v.r.randrange(10)}."
        f"{v.r.randrange(10)}.{v.r.randrange(99)} on {v.pick(WEEKDAY_ABBR[:7])} "
        f"{v.r.randrange(1, 29)} {v.pick(MONTH_ABBR)}. "
    )
    b.add("\n\n").add(v.pick(["Kind regards\n", "Best,\n", "Med vennlig hilsen / Best regards\n"]))
    b.add(agent, "PERSON").add("\n")


def nynorsk_note(v: Values, b: Builder) -> None:
    first, last = person_varied(v)
    vehicle, plate = plate_any(v)
    b.add(f"Notat {_stamp(v)}\n")
    b.add("Snakka med ").add(f"{first} {last}", "PERSON").add(" i dag. ")
    b.add(v.pick(["Ho bur no i ", "Han bur no i ", "Dei har flytta til "]))
    b.add(f"{street_any(v)} {v.house_number()}", "NO_ADDRESS").add(". ")
    b.add(v.pick(["Ho ringjer frå ", "Nås på "])).add(phone_any(v), "PHONE_NUMBER").add(". ")
    b.add(f"Køyretøyet er ein {vehicle} ").add(plate, "NO_LICENSE_PLATE").add(". ")
    if v.chance(0.5):
        b.add("Fødselsnummeret hennar er ").add(fnr_any(v), "NO_FODSELSNUMMER").add(". ")
    b.add(f"{v.negative()}\n")


def chat_lowercase(v: Values, b: Builder) -> None:
    """A family or team chat typed in lower case: names with and without cues."""
    people = [person_varied(v)[0].lower() for _ in range(3)]
    people = [
        p for p in people if " " not in p and p.lower() not in {w.lower() for w in WORD_FIRST}
    ]
    if len(people) < 2:
        people = [v.pick(FIRST_MORE).lower(), v.pick(FIRST_MORE).lower()]
    tick = v.clock()
    a, c = people[0], people[1]
    b.add(f"[{tick()}] ").add(a, "PERSON").add(": ").add(c, "PERSON").add(
        v.pick([" kan du hente pakken?\n", " er du hjemme?\n", " har du nøkkelen?\n"])
    )
    b.add(f"[{tick()}] ").add(c, "PERSON").add(": ja, ").add(a, "PERSON")
    b.add(v.pick([" 👍\n", ", kommer kl 5\n", " jeg tar den\n"]))
    b.add(f"[{tick()}] ").add(a, "PERSON").add(": ")
    b.add(v.pick(["nummeret til rørleggeren er ", "ring ", "tlf "])).add(
        phone_any(v), "PHONE_NUMBER"
    )
    b.add("\n")


def chat_lowercase_prose(v: Values, b: Builder) -> None:
    """Lower-case team chat that names people in passing, with no cue before them, and
    everyday words that are also first names (endre, ute, bjørn) used as words."""
    names = [v.pick(FIRST_MORE + NO_FIRST).lower() for _ in range(2)]
    names = [n for n in names if n.lower() not in {w.lower() for w in WORD_FIRST}]
    a = names[0] if names else v.pick(FIRST_MORE).lower()
    b.add(v.pick(["kan du sjekke ordren til ", "fikk mail fra ", "ga beskjed til ", "snakka med "]))
    b.add(a, "PERSON").add(v.pick(["? han venter\n", " i går\n", " nå\n", " om saken\n"]))
    b.add(v.pick(["vet du om ", "tror ", "sjekk om "])).add(a, "PERSON")
    b.add(v.pick([" er på jobb i dag?\n", " har fått pakken\n", " kan ta vakta\n"]))
    b.add(
        v.pick(
            [
                "kan dere endre adressa mi?\n",
                "pakka ligger ute ved døra\n",
                "vi så en bjørn ved hytta\n",
                "møtet er 12. jun kl 10\n",
            ]
        )
    )
    if v.chance(0.5):
        b.add("ring meg på ").add(phone_any(v), "PHONE_NUMBER").add("\n")


def case_followup(v: Values, b: Builder) -> None:
    """A case note: the full name once, then the surname alone where the text says who
    speaks (a verb of speech, "ifølge"); opening words that are names too, used as words."""
    first, last, full = v.person()
    b.add(v.pick(["Saksnotat\n", "Oppfølging\n", "Notat fra telefon\n"]))
    b.add(v.pick(["Kunden ", "Innmelder ", "Kontaktperson "])).add(full, "PERSON")
    b.add(v.pick([" ringte om fakturaen.\n", " tok kontakt i dag.\n", " sendte klage.\n"]))
    b.add(last, "PERSON").add(
        v.pick(
            [
                " sa at beløpet var feil. ",
                " mener fakturaen er betalt. ",
                " har ringt to ganger. ",
                " skrev at hun venter. ",
            ]
        )
    )
    b.add(v.pick(["Ifølge ", "I følge "])).add(last, "PERSON").add(" er saken haster.\n")
    b.add(
        v.pick(
            [
                "Endre adresse i systemet før utsending.\n",
                "Line 2 i fakturaen er feil.\n",
                "Ute av drift siden mandag.\n",
                "Tone i svaret bør være vennlig.\n",
            ]
        )
    )
    if v.chance(0.5):
        b.add("Tlf: ").add(v.phone(), "PHONE_NUMBER").add("\n")


# --- styles ---------------------------------------------------------------------------------

Template = Callable[[Values, Builder], None]
TEMPLATES: dict[str, list[tuple[Template, int]]] = {
    "crm": [
        (crm_card, 3),
        (crm_contact, 2),
        (crm_log, 3),
        (crm_export, 2),
        (crm_company, 2),
        (crm_vehicle, 2),
    ],
    "support": [
        (support_classic, 3),
        (support_ticket, 3),
        (support_parking, 2),
        (support_it, 2),
        (support_payment, 2),
        (support_refund, 2),
        (support_callback, 2),
        (case_followup, 2),
    ],
    "mail": [
        (mail_classic, 3),
        (mail_reply, 4),
        (mail_nynorsk, 1),
        (mail_forward, 2),
        (mail_short, 2),
        (mail_vehicle, 1),
    ],
    "chat": [(chat_classic, 3), (chat_stamped, 5), (chat_bot, 2), (chat_nynorsk, 1)],
    "export": [(export_csv, 4), (export_json, 3), (vcard, 1), (bank_statement, 2)],
    "form": [(web_form, 1)],
    "log": [(server_log, 1)],
    "table": [(meeting_table, 1)],
    "quoted": [(mail_quoted, 1)],
    "english": [(english_mixed, 1)],
    "nynorsk": [(nynorsk_note, 1), (mail_nynorsk, 1), (chat_nynorsk, 1)],
    "chat-lower": [(chat_lowercase, 2), (chat_lowercase_prose, 1)],
}


def _style(name: str) -> Template:
    templates, weights = zip(*TEMPLATES[name], strict=True)

    def write(v: Values, b: Builder) -> None:
        v.r.choices(templates, weights)[0](v, b)

    write.__name__ = name
    return write


STYLES = {name: _style(name) for name in TEMPLATES}


def _document(style: str, values: Values) -> Builder:
    """One document of the style; drawn again while an unlabelled number passes a checksum."""
    for _ in range(100):
        builder = Builder()
        STYLES[style](values, builder)
        if accidental_number(builder.text(), builder.spans) is None:
            check_labels(builder.text(), builder.spans)
            return builder
    raise AssertionError(f"no {style} document without accidental identifiers")


def generate(n: int = 2000, seed: int = 20261124) -> list[Doc]:
    rng = random.Random(seed)
    values = Values(rng)
    docs = []
    for i in range(n):
        style = list(STYLES)[i % len(STYLES)]
        builder = _document(style, values)
        docs.append(Doc(f"{style}-{i}", style, builder.text(), builder.spans))
    return docs


def long_mail(size: int = 50_000, seed: int = 7) -> str:
    """One e-mail body of about ``size`` characters (a long thread)."""
    rng = random.Random(seed)
    values = Values(rng)
    parts, length = [], 0
    while length < size:
        parts.append(_document("mail", values).text())
        length += len(parts[-1])
    return "\n> ".join(parts)[:size]
