"""Matrix content from platform-neutral replies, and a person's reply back as plain text."""

from __future__ import annotations

import re

from bot.channels.matrix.render import content_of, text_of
from handlers.dialogue.messages import Choice, Reply
from handlers.plain_text import clean


def test_choices_become_a_numbered_list_and_everything_is_escaped() -> None:
    reply = Reply("Kies <b>één</b> & bevestig", (Choice("done", "gedaan"), Choice("x", "<script>")))
    content = content_of(reply)
    assert content["msgtype"] == "m.notice"
    assert content["body"] == "Kies <b>één</b> & bevestig\n1. gedaan\n2. <script>"
    assert content["formatted_body"] == (
        "<p>Kies &lt;b&gt;één&lt;/b&gt; &amp; bevestig</p><ol><li>gedaan</li><li>&lt;script&gt;</li></ol>"
    )
    assert "m.relates_to" not in content


def test_an_answer_can_point_at_the_message_it_answers() -> None:
    content = content_of(Reply("Goed.\nVolgende vraag"), in_reply_to="$event")
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$event"}}
    assert content["formatted_body"] == "<p>Goed.<br>Volgende vraag</p>"


def test_the_quoted_fallback_of_a_reply_is_not_part_of_the_answer() -> None:
    body = "> <@vhbot:localhost> Herinnering: actie VH-2026-0001 #1\n> 1. gedaan\n\ngedaan"
    assert text_of(body, is_reply=True) == "gedaan"
    assert text_of("> citaat van mijzelf", is_reply=False) == "> citaat van mijzelf"


def test_case_numbers_stay_on_one_line_where_they_are_shown_and_read_back_plain() -> None:
    """On a phone 'VH-2026-' / '0001' reads as two things: the shown (HTML) text keeps a case number whole with
    non-breaking hyphens; the plain body keeps plain ones, and a number copied from the screen reads as typed."""
    reply = Reply(
        "Uw aanmelding VH-2026-0001 is ontvangen.", (Choice("VH-2026-0002", "VH-2026-0002 (ingediend)"),)
    )
    content = content_of(reply)
    assert (
        "VH\u20112026\u20110001" in content["formatted_body"]
        and "VH-2026-0001" not in content["formatted_body"]
    )
    assert "<li>VH\u20112026\u20110002 (ingediend)</li>" in content["formatted_body"]
    assert "VH-2026-0001" in content["body"]
    assert clean("status VH\u20112026\u20110001") == "status VH-2026-0001"


def test_addresses_someone_typed_are_never_links_and_only_the_bots_own_links_are() -> None:
    """A melder's goal with a URL, a bare domain and an anchor reached the procesregisseur as live links in the
    bot's own message. As code they were still links in Hydrogen (which links code too, seen in its timeline) and
    in every client's plain body; now they are defanged in both, and code in the HTML. The form link the bot hands
    out stays a link."""
    typed = 'Zie https://example.org/x en evil.example/login <a href="https://evil.example">klik</a>'
    own = "https://vhbot.zvh.example/forms/abc.def"
    shown = content_of(Reply(f"Doel: {typed}\nFormulier: {own}"), own_links="https://vhbot.zvh.example")
    markup, body = shown["formatted_body"], shown["body"]
    assert (
        "<code>https[:]//example[.]org/x</code>" in markup and "<code>evil[.]example/login</code>" in markup
    )
    assert "<code>https[:]//evil[.]example&quot;&gt;klik&lt;/a&gt;</code>" in markup
    assert markup.count("<a ") == 1 and f'<a href="{own}">{own}</a>' in markup
    assert "Zie https[:]//example[.]org/x en evil[.]example/login" in body and body.endswith(own)
    for client_pattern in (r"https?://", r"\bwww\.", r"\b[a-z]+\.(?:org|example|nl)\b"):
        assert len(re.findall(client_pattern, body.replace(own, ""))) == 0, client_pattern
    # The same path under another host is someone else's: defanged, not a link.
    fake = content_of(Reply("https://vhbot.zvh.example.evil/forms/x"), own_links="https://vhbot.zvh.example")
    assert "<a " not in fake["formatted_body"] and "https://" not in fake["body"]
    # Choices too (an action's description typed by a procesregisseur), and Dutch text stays as it is.
    listed = content_of(Reply("Welke actie? Bijv. o.a. 2.5 uur", (Choice("1", "Bel www.x.nl"),)))
    assert "<li>Bel <code>www[.]x[.]nl</code></li>" in listed["formatted_body"]
    assert "1. Bel www[.]x[.]nl" in listed["body"]
    assert "Bijv. o.a. 2.5 uur" in listed["formatted_body"] and "Bijv. o.a. 2.5 uur" in listed["body"]


def test_replies_have_the_one_style_of_every_channel_labels_bold_lists_apart_the_question_last() -> None:
    """The case view was a wall of plain lines, and a plan's summary sat right above the yes/no it asks about."""
    text = (
        "Casus VH-2026-0001 — in uitvoering\nMelder: Anna Agent\nTyp het nummer van de actie: of de omschrijving\n\n"
        "Actielijst VH-2026-0001:\n- #1 Huisbezoek — Anna\n• #2 <b>Schuld</b> — GGZ\nVolgend overleg: di 15 dec\n"
        "Klopt dat?"
    )
    markup = content_of(Reply(text, (Choice("ja", "ja"), Choice("nee", "nee"))))["formatted_body"]
    assert markup.startswith(
        "<p>Casus VH\u20112026\u20110001 — in uitvoering<br><strong>Melder:</strong> Anna Agent<br>"
    )
    assert "<strong>Typ" not in markup  # a sentence with a colon is no label
    assert (
        "<p><strong>Actielijst VH\u20112026\u20110001:</strong></p><ul><li>#1 Huisbezoek — Anna</li>"
        in markup
    )
    assert (
        "<li>#2 &lt;b&gt;Schuld&lt;/b&gt; — GGZ</li></ul><p><strong>Volgend overleg:</strong> di 15 dec</p>"
        in markup
    )
    assert markup.endswith("<p>Klopt dat?</p><ol><li>ja</li><li>nee</li></ol>")
