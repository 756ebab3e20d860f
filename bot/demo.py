"""Demo organisations and people, offered on an empty store so a newcomer can try every job at once.

All names are invented.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import people
from storage.models import Role

ORGANISATIONS = [
    ("Zorg- en Veiligheidshuis Voorbeeldregio", "zvh"),
    ("Politie Eenheid Voorbeeld", "politie"),
    ("Wijkteam Amersfoort-Noord", "wijkteam"),
    ("GGZ Voorbeeld", "ggz"),
    ("Reclassering Nederland", "reclassering"),
    ("Woonstichting Voorbeeld", "woningcorporatie"),
]
PEOPLE = [
    ("regisseur", "Petra Regisseur", "Zorg- en Veiligheidshuis Voorbeeldregio", Role.PROCESREGISSEUR),
    ("regisseur2", "Ruben Regisseur", "Zorg- en Veiligheidshuis Voorbeeldregio", Role.PROCESREGISSEUR),
    ("agent", "Anna Agent", "Politie Eenheid Voorbeeld", Role.MELDER),
    ("wijkteam", "Willem Wijkteam", "Wijkteam Amersfoort-Noord", Role.MELDER),
    ("ggz", "Gerda GGZ", "GGZ Voorbeeld", Role.MELDER),
    ("reclassering", "Rik Reclassering", "Reclassering Nederland", Role.MELDER),
    ("manager", "Maria Ketenmanager", "Zorg- en Veiligheidshuis Voorbeeldregio", Role.KETENMANAGER),
]


async def load_demo(session: AsyncSession, now: datetime) -> list[str]:
    """Adds the demo set and returns the handles, for the person to choose who to be."""
    organisations = {
        name: await people.add_organisation(session, name, type_) for name, type_ in ORGANISATIONS
    }
    for handle, name, organisation, role in PEOPLE:
        await people.add_professional(
            session, handle=handle, name=name, organisation=organisations[organisation], role=role, now=now
        )
    return [handle for handle, *_ in PEOPLE]
