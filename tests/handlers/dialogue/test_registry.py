"""The conversations declare themselves, and the dispatcher, the help and the entry words are built from that."""

from __future__ import annotations

from dataclasses import replace

import pytest

from config.catalogue import load_catalogue
from handlers.conversations import CONVERSATIONS
from handlers.conversations.help import CONVERSATION as HELP
from handlers.dialogue.registry import STOP, Registry
from handlers.dialogue.state import DialogueState, NoState, OutdatedDialogue
from handlers.dialogue.steps import Steps
from handlers.plain_text import fold
from storage.models import Role
from storage.people import Author
from tests.conftest import Chat

CATALOGUE = load_catalogue()
PEOPLE = [Author(1, role, "nl", True, 1, "ZVH") for role in Role]


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda conversation: conversation.kind)
def test_every_conversation_has_entry_words_help_text_and_a_name_in_every_language(conversation) -> None:  # type: ignore[no-untyped-def]
    for language in ("nl", "en"):
        assert CATALOGUE.words(language, f"entry.{conversation.kind}"), (language, conversation.kind)
        keys = {key for person in PEOPLE for key in conversation.help_for(person)}
        assert keys, f"nobody is shown a help line for {conversation.kind}"
        assert keys <= CATALOGUE.keys(language), (language, keys - CATALOGUE.keys(language))
        # Its name, for the line that offers to go on with it after another job ('U was bezig met de check').
        assert f"dialogue.kind.{conversation.kind}" in CATALOGUE.keys(language), (language, conversation.kind)


def test_no_entry_word_starts_two_conversations() -> None:
    owners: dict[str, str] = {}
    for kind, words in Registry(CONVERSATIONS).entry_words(CATALOGUE).items():
        for word in {fold(word) for word in words}:
            assert owners.setdefault(word, kind) == kind, (
                f"{word!r} is an entry word of {owners[word]} and {kind}"
            )
    assert STOP in set(owners.values())


def test_a_kind_declared_twice_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        Registry([*CONVERSATIONS, replace(HELP)])


async def test_a_step_cannot_be_registered_twice_and_an_unknown_step_is_outdated() -> None:
    steps: Steps[NoState, None] = Steps()

    @steps("one")
    async def one(*_: object) -> None:
        return None

    with pytest.raises(ValueError, match="twice"):
        steps("one")(one)
    with pytest.raises(OutdatedDialogue):
        await steps.run(None, DialogueState("test", "gone", NoState()), None)  # type: ignore[arg-type]


async def test_help_lists_only_what_the_persons_role_may_start(chat: Chat) -> None:
    melder, director, manager = [await chat(handle, "help") for handle in ("agent", "regisseur", "manager")]
    assert "aanmelden" in melder and "intake" not in melder and "aantallen per status" not in melder
    assert "aanmelden" in director and "intake" in director and "plan VH-" in director
    assert "aantallen per status" in manager
    assert all(word not in manager for word in ("aanmelden", "acties", "terugkoppeling", "intake"))


async def test_a_conversation_the_role_may_not_start_is_refused_in_the_persons_words(chat: Chat) -> None:
    assert "alleen een melder of procesregisseur" in await chat("manager", "acties")
    assert "alleen een melder of procesregisseur" in await chat("manager", "aanmelden")
    assert "alleen een procesregisseur" in await chat("agent", "intake")
    await chat("manager", "language en")
    assert "Only a melder or procesregisseur" in await chat("manager", "feedback")
