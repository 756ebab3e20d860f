"""Matrix content from platform-neutral replies, and a person's reply back as plain text."""

from __future__ import annotations

from bot.channels.matrix.render import content_of, text_of
from handlers.dialogue.messages import Choice, Reply


def test_choices_become_a_numbered_list_and_everything_is_escaped() -> None:
    reply = Reply("Kies <b>één</b> & bevestig", (Choice("done", "gedaan"), Choice("x", "<script>")))
    content = content_of(reply)
    assert content["msgtype"] == "m.notice"
    assert content["body"] == "Kies <b>één</b> & bevestig\n1. gedaan\n2. <script>"
    assert content["formatted_body"] == (
        "Kies &lt;b&gt;één&lt;/b&gt; &amp; bevestig<ol><li>gedaan</li><li>&lt;script&gt;</li></ol>"
    )
    assert "m.relates_to" not in content


def test_an_answer_can_point_at_the_message_it_answers() -> None:
    content = content_of(Reply("Goed.\nVolgende vraag"), in_reply_to="$event")
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$event"}}
    assert content["formatted_body"] == "Goed.<br>Volgende vraag"


def test_the_quoted_fallback_of_a_reply_is_not_part_of_the_answer() -> None:
    body = "> <@vhbot:localhost> Herinnering: actie VH-2026-0001 #1\n> 1. gedaan\n\ngedaan"
    assert text_of(body, is_reply=True) == "gedaan"
    assert text_of("> citaat van mijzelf", is_reply=False) == "> citaat van mijzelf"
