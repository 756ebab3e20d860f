"""Sentences as professionals type them, written for this project, with what each contains: the detector's tests
read every row of ``TABLE`` right, and ``bench/identifying.py`` reports recall and false alarms per kind over
``TABLE`` and ``MISSED`` together."""

from __future__ import annotations

# What each contains (empty: nothing to refuse).
TABLE: list[tuple[str, set[str]]] = [
    # BSN, in the ways it is typed
    ("bsn 111222333 graag doorgeven", {"bsn"}),
    ("BSN: 111-22-2333", {"bsn"}),
    ("burgerservicenummer 11 12 22 333", {"bsn"}),
    ("bsn 1112\u206022333", {"bsn"}),  # an invisible word joiner inside
    ("bsn 111\u00ad222333", {"bsn"}),  # a soft hyphen inside
    ("bsn １１１２２２３３３", {"bsn"}),  # fullwidth digits
    ("het nummer 111.222.333 klopt", {"bsn"}),
    ("dossier 111222334 is aangemaakt", set()),  # fails the eleven test
    ("zaaknummer 2026-001234", set()),
    ("VH-2026-0001 #3 is gedaan", set()),
    ("bedrag 1.234.567,89 euro schuld", set()),
    # IBAN
    ("huur gaat naar NL91ABNA0417164300", {"iban"}),
    ("rekening NL91 ABNA 0417 1643 00 staat rood", {"iban"}),
    ("iban nl91abna0417164300", {"iban"}),
    ("NL00ABNA0000000000 is geen echt nummer", set()),  # fails mod-97
    # phone numbers
    ("bel 06-12345678", {"phone"}),
    ("mobiel +31 (0)6 12345678", {"phone"}),
    ("telefoon (06) 12345678", {"phone"}),
    ("nummer 06.12.34.56.78", {"phone"}),
    ("vast nummer 033-1234567", {"phone"}),
    ("bel 0031 6 12345678", {"phone"}),
    ("bereikbaar op 020 123 4567", {"phone"}),
    ("Veilig Thuis is gebeld op 0800-2000", set()),
    ("bij acuut gevaar 112 bellen", set()),
    ("bel de gemeente via 14 033", set()),
    ("informatielijn 0900-8844", set()),
    ("de oudste is 14 en de jongste 9", set()),
    ("12 dagen verzuim deze maand", set()),
    # e-mail
    ("mail naar iemand@example.nl", {"email"}),
    ("zijn adres is j.jansen+zorg@mail.example.com", {"email"}),
    # addresses
    ("Gezin woont aan de Kerkstraat 12 in Soest", {"address"}),
    ("adres: Burgemeester de Withstraat 3a", {"address"}),
    ("woont op Oude Gracht 118-bis", {"address"}),
    ("Laan van Meerdervoort 12 is het adres", {"address"}),
    ("verhuisd naar de Dorpsweg 7 b", {"address"}),
    ("postcode 3811 AB", {"address"}),
    ("3811AB 12, tweede verdieping", {"address"}),
    ("woont in 3811 ab", {"address"}),
    ("huisbezoek op de Kerkstraat gepland", set()),
    ("de woning is vervuild", set()),
    ("wijkteam Noord is betrokken", set()),
    ("Leger des Heils biedt opvang", set()),
    ("gemeente Utrecht betaalt mee", set()),
    ("in 2025 en 2026 steeds overlast", set()),
    ("geboren 1 mei 1975 in Zwolle", {"birth_date"}),  # "1975 in" is no postcode
    # dates of birth
    ("geboren op 12 maart 2010", {"birth_date"}),
    ("geb. 01-02-80", {"birth_date"}),
    ("geboortedatum 1980-02-01", {"birth_date"}),
    ("geboren 12-03-1985", {"birth_date"}),
    ("sinds 1 februari 1980 bekend bij de GGZ", {"birth_date"}),
    ("01-02-80 is de datum", {"birth_date"}),
    ("overleg op 12-03-2026 gehad", set()),
    ("Gesprek met GGZ op 3 december om 14:00", set()),
    ("deadline 15-01-2027", set()),
    ("afspraak 03-12-26 om 10 uur", set()),
    ("uitstel tot 1 februari 2027", set()),
    ("in 2019 al eens gemeld", set()),
    # names
    ("meneer Bakker wil geen hulp", {"name"}),
    ("mevrouw de Vries belt niet terug", {"name"}),
    ("mw. De Vries is niet thuis", {"name"}),
    ("dhr. J. Jansen heeft schulden", {"name"}),
    ("de heer Yilmaz is akkoord", {"name"}),
    ("Jan de Vries slaat zijn vrouw", {"name"}),
    ("zoon Mohammed spijbelt", {"name"}),
    ("dochter Fatima is 14", {"name"}),
    ("J. de Vries is de vader", {"name"}),
    ("gesproken met Anna van den Berg", {"name"}),
    ("moeder is niet bereikbaar", set()),
    ("de vader werkt niet mee", set()),
    ("Ministerie van Justitie is op de hoogte", set()),
    ("Gemeente Den Haag neemt het over", set()),
    ("Huis van Bewaring meldt vrijlating", set()),
    ("Raad voor de Kinderbescherming doet onderzoek", set()),
    ("Veilig Thuis heeft een melding", set()),
    ("Zorg- en Veiligheidshuis pakt het op", set()),
    ("betrokkene wil geen hulp", set()),
    ("partner is weer thuis", set()),
    ("Jan Bakker slaat zijn vrouw", {"name"}),
    ("gisteren sprak ik Fatima Yilmaz", {"name"}),
    ("Mohammed El Amrani is weer opgepakt", {"name"}),
    ("Kees Visser heeft een huurachterstand", {"name"}),
    ("gesprek met Sanne Kok en haar moeder", {"name"}),
    ("Piotr Nowak slaapt in de schuur", {"name"}),
    ("oom Ahmed haalt de kinderen op", {"name"}),
    ("Youssef Amrani (16) spijbelt", {"name"}),
    ("Petra van Veilig Thuis belt morgen", set()),
    ("Tim van het wijkteam gaat mee", set()),
    ("overleg met Thomas van de reclassering", set()),
    ("Koen en Sanne van het sociaal team zijn er", set()),
    ("Marieke (wijkteam) neemt contact op", set()),
    ("Vrijdag Overleg met de GGZ", set()),
    # everyday messages
    ("hulpverlening stagneert, overlast neemt toe", set()),
    ("Huisbezoek afleggen voor vrijdag", set()),
    ("Schuldhulp regelen via de gemeente", set()),
    ("Afspraken worden niet nagekomen", set()),
    ("casusoverleg op 15 december 10:00", set()),
    ("GGZ en wijkteam zijn betrokken", set()),
    ("Aanmelding schuldhulp loopt, wachtlijst van drie weken", set()),
    ("huurachterstand van 2.400 euro", set()),
    ("3 kinderen in het gezin, oudste 16", set()),
    ("Politie heeft 4 meldingen in 2 maanden", set()),
    ("reclassering houdt toezicht tot 2027", set()),
    ("dossiernummer 123456789", set()),
    ("zie actie #12 en #13", set()),
    ("de melding kwam op 1-12 binnen", set()),
    ("ik heb gebeld met de wijkagent", set()),
    ("vrijdag 4 december 14:00 huisbezoek", set()),
    ("Wacht op gesprek met de partner", set()),
    # several at once
    ("meneer Bakker, Kerkstraat 12, bel 06-12345678", {"name", "address", "phone"}),
    ("bsn 111222333, geboren 12-03-1985", {"bsn", "birth_date"}),
    ("mail iemand@example.nl of bel 06 1234 5678", {"email", "phone"}),
    ("NL91ABNA0417164300 op naam van mevrouw Jansen", {"iban", "name"}),
    ("woont met zoon Daan op de Dorpsstraat 3", {"name", "address"}),
    ("geboren 3 april 2012, woont 3811 AB 4", {"birth_date", "address"}),
]


# Forms the detector knowingly gets wrong (see the closing note of issue 18): they keep the benchmark honest.
MISSED: list[tuple[str, set[str]]] = [
    ("Emma gaat sinds de zomer niet meer naar school", {"name"}),  # a first name alone
    ("jan bakker drinkt weer", {"name"}),  # a name in lower case
    ("Bakker wil geen hulp", {"name"}),  # a surname alone
    ("Rashida Bouzid heeft schulden", {"name"}),  # a first name not in config/first_names.txt
    ("woont op nummer 12 van de Kerkstraat", {"address"}),  # the number before the street
    ("bel hem op nul zes een twee drie vier vijf zes zeven acht", {"phone"}),  # a number in words
    ("verhuisd naar Anna Paulowna", set()),  # a place that reads as a first name and surname
]
