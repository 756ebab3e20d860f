"""Deelnemers are listed, added and removed by the procesregisseur; they see the action list and nothing else."""

from __future__ import annotations

from tests.case_life import told
from tests.conftest import Chat
from tests.handlers.conversations.test_change import two_actions


async def test_a_participant_is_added_sees_the_action_list_and_is_removed_again(chat: Chat) -> None:
    number = await two_actions(chat)
    listing = await chat("regisseur", f"deelnemers {number}")
    assert f"Casus {number} heeft 2 deelnemers:" in listing and "Gerda GGZ (GGZ Voorbeeld)" in listing
    assert "Ik kan geen casus" in await chat("reclassering", f"acties {number}")  # not on the case yet
    assert "kan geen actie houden" in await chat("regisseur", "1", "manager")  # nor may the ketenmanager join
    asked = await chat("regisseur", "reclassering")
    assert "Rik Reclassering (Reclassering Nederland) laten deelnemen aan casus" in asked  # confirmed by name
    assert "Ik kan geen casus" in await chat("reclassering", f"acties {number}")  # not before the yes
    assert "neemt nu deel" in await chat("regisseur", "ja")
    assert await told(chat.app, "participant_added") == ["reclassering"]
    view = await chat("reclassering", f"acties {number}")
    assert "Huisbezoek afleggen" in view and "Doel" not in view  # the action list, no case content
    await chat("regisseur", f"deelnemers {number}", "iemand verwijderen")
    leaving = await chat("regisseur", "Rik Reclassering (Reclassering Nederland)")
    assert "niet meer laten deelnemen" in leaving
    assert "niets veranderd" in await chat("regisseur", "nee")
    assert "Actielijst" in await chat("reclassering", f"acties {number}")  # still on it after the no
    await chat(
        "regisseur", f"deelnemers {number}", "iemand verwijderen", "Rik Reclassering (Reclassering Nederland)"
    )
    assert "neemt niet meer deel" in await chat("regisseur", "ja")
    assert "Ik kan geen casus" in await chat("reclassering", f"acties {number}")
    assert await told(chat.app, "participant_removed") == ["reclassering"]


async def test_someone_holding_open_actions_is_not_removed(chat: Chat) -> None:
    number = await two_actions(chat)
    await chat("regisseur", f"deelnemers {number}", "2")
    refused = await chat("regisseur", "Gerda GGZ (GGZ Voorbeeld)")
    assert "heeft nog 1 open actie" in refused
    assert "Gerda GGZ" in await chat("regisseur", f"deelnemers {number}")


async def test_a_case_is_handed_to_a_colleague_who_then_directs_it(chat: Chat) -> None:
    number = await two_actions(chat)
    await chat("regisseur", f"casus {number}", "overdragen aan een collega-procesregisseur")
    assert "overdragen aan Ruben Regisseur?" in await chat("regisseur", "Ruben Regisseur")
    assert "overgedragen aan Ruben Regisseur" in await chat("regisseur", "ja")
    assert await told(chat.app, "case_assigned") == ["regisseur2"]
    assert "Ik kan geen casus" in await chat("regisseur", f"casus {number}")  # no longer theirs
    assert "Huisbezoek afleggen" in await chat(
        "regisseur2", f"status {number}"
    )  # the whole history is theirs
