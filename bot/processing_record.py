"""The processing record (verwerkingsregister, AVG art. 30) for vhbot, as a ZVH's privacy officer needs it for the
register and a DPIA: purposes, categories of data and of people, recipients, terms, security measures.

What the configuration decides (the referral form's questions, the terms, the roles) is read from it, so the
record cannot drift from what the installation does; `vhbot betrokkene register` prints it for the installation
at hand, and docs/verwerking.md is it for the shipped defaults (a test compares them).
"""

from __future__ import annotations

from config.definitions import Definitions
from config.settings import Settings
from storage.enums import Role

# Who sees what (domain.md §3.6), per role; the roles themselves come from storage.enums, so a new one is missed
# by the test rather than by the register.
ACCESS = {
    Role.MELDER: "eigen aanmeldingen en hun stand; eigen acties met deadline en volgend overleg",
    Role.PROCESREGISSEUR: "de casussen die zij regisseren (of waarnemen): inhoud, acties, terugkoppeling, verloop; "
    "de persoonsgegevens van de betrokkene eenmalig via een ondertekende link",
    Role.KETENMANAGER: "opgeschaalde casussen en cijfers (kleine aantallen als <5, afgerond op vijftallen)",
}


def record(settings: Settings, definitions: Definitions) -> str:
    """The record as Markdown, in Dutch (the register is kept in Dutch)."""
    questions = ", ".join(question.key for question in definitions.referral_form)
    audit_term = (
        f"{settings.audit_retention_months} maanden"
        if settings.audit_retention_months is not None
        else "niet ingesteld: het logboek blijft tot een beheerder het opschoont (VHBOT_AUDIT_RETENTION_MONTHS)"
    )
    roles = "\n".join(f"| {role.value} | {ACCESS[role]} |" for role in Role)
    return f"""# Verwerkingsregister: vhbot

Gemaakt met `vhbot betrokkene register` uit de instellingen van deze installatie.

## Verwerkingsverantwoordelijke en grondslag

Het Zorg- en Veiligheidshuis en zijn partners als samenwerkingsverband onder de Wet gegevensverwerking door
samenwerkingsverbanden (WGS, Stb. 2024, 198) en het Besluit gegevensverwerking door samenwerkingsverbanden (BGS,
Stb. 2024, 380), van kracht sinds 1 maart 2025. Vul de verantwoordelijke, de functionaris gegevensbescherming en
het convenant van de regio aan.

## Doelen

- Toetsen of een casus bij het Zorg- en Veiligheidshuis past (anoniem: geen persoonsgegevens).
- Aanmelden van een casus bij een procesregisseur.
- Vastleggen van afspraken uit het casusoverleg (wie doet wat wanneer) en herinneren daaraan.
- Terugkoppeling van partners aan de procesregisseur, met zorgsignaal.
- Regie op de casus: opschalen, afschalen, overdragen, afsluiten.
- Verantwoording: logboek (NEN 7513) en geanonimiseerde cijfers.

## Categorieën betrokkenen

- Betrokkenen van een casus (persoon, gezin of groep), onder wie minderjarigen.
- Professionals van de partners (melders, actiehouders, procesregisseurs, ketenmanager).

## Categorieën gegevens

- Over de betrokkene: de vragen van het aanmeldformulier ({questions}), met bijzondere en strafrechtelijke
  gegevens (AVG art. 9 en 10) in de leefgebieden, ketens, het doel en de toelichtingen; naam, geboortedatum en
  adres alleen via een formulier buiten de chat. Nooit het BSN.
- Acties, terugkoppeling, overgangen met reden, besluiten over de gegevens (inzage, correctie, beperking, wissen,
  verlenging) met reden.
- Over professionals: naam, organisatie, rol, taal, chatadressen (Teams, Matrix).

## Ontvangers (need-to-know)

| rol | ziet |
| --- | --- |
{roles}

Deelnemers van een casus zien alleen de actielijst. Er is geen zoeken op persoon voor partners; alleen de beheerder
zoekt een betrokkene, voor een verzoek, met een doel dat wordt gelogd.

## Bewaartermijnen

- Casussen: {settings.retention_months} maanden na afsluiten (`VHBOT_RETENTION_MONTHS`); aanmeldingen die met een
  advies zijn beantwoord: {settings.retention_advice_months or settings.retention_months} maanden na het advies
  (`VHBOT_RETENTION_ADVICE_MONTHS`); tenzij bij besluit verlengd (`vhbot betrokkene verleng`, met reden en
  einddatum; de cijfers tellen hoeveel).
- Logboek: {audit_term}.
- Onafgemaakte gesprekken: {settings.dialogue_timeout_minutes // 60} uur; verwerkte chatberichten:
  {settings.inbound_retention_days} dagen; formulierlinks: {settings.form_link_minutes} minuten geldig.
- Back-ups: zie de README (Deploying, Backups); een gewiste casus verdwijnt uit back-ups zodra de oudste is
  verlopen.

## Beveiliging

- Versleuteling in rust van elk vrij-tekstveld en elk identificerend gegeven (AES-256-GCM, sleutels buiten de
  database, sleutelrotatie).
- Logboek van elke inzage en wijziging, met wie, namens wie, wanneer en via welk kanaal.
- Persoonsgegevens nooit in de chat; meldingen noemen alleen casusnummer en actienummer.
- Wissen: SQLite met secure_delete en een geleegd write-ahead log; PostgreSQL herschrijft de tabellen.
- Rechten van betrokkenen: `vhbot betrokkene` (zoek, inzage, corrigeer, betwist, beperk, ophef, wis, verleng).
"""
