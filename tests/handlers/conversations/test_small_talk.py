"""A greeting, thanks or 'wie ben jij' gets a short friendly answer, and every answer to a message that starts
nothing suggests only what this person's role may start."""

from __future__ import annotations

from tests.conftest import Chat


async def test_small_talk_gets_a_friendly_answer_with_what_this_person_can_do(chat: Chat) -> None:
    greeted = await chat("agent", "Hoi!")
    assert greeted.startswith("Hallo!") and "'check'" in greeted and "'aanmelden'" in greeted
    assert "Graag gedaan" in await chat("agent", "dank je wel")
    assert "chatassistent" in await chat("agent", "wie ben jij?")
    await chat("ggz", "language en")
    assert (await chat("ggz", "hello")).startswith("Hello!")
    assert "You're welcome" in await chat("ggz", "thanks")


async def test_the_ketenmanager_is_never_told_to_try_what_they_may_not_do(chat: Chat) -> None:
    for said in ("hoi", "blabla"):
        answer = await chat("manager", said)
        assert "'status'" in answer
        assert "'aanmelden'" not in answer and "'acties'" not in answer  # the anonymous check they may do
    procesregisseur = await chat("regisseur", "blabla")
    assert "Dat begrijp ik niet" in procesregisseur and "'check'" in procesregisseur
