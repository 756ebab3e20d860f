"""The form page behind a Matrix link: ``GET /forms/{token}`` shows the empty form, ``POST`` sends it.

The page is the only place where the betrokkene's details are typed on Matrix, so it gives a browser as little
room as possible: every value written into the page is escaped, nothing from outside the page may load or run
(Content Security Policy; the one style block is allowed by its hash), it is not cached, indexed, framed, or
named in a Referer, and what was typed is never written back into a page.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from html import escape
from urllib.parse import parse_qsl

from aiohttp import web

from bot.app import App
from bot.web import serve_site
from handlers.dialogue.messages import FormField, FormOffer
from handlers.identifying.desk import FormAnswer
from handlers.identifying.forms import FIELDS, form_path

CHANNEL = "web"
# handlers.identifying.forms.DATE_SHAPE as an HTML pattern: anchored by the browser, and escaped as its
# regular-expression mode (the 'v' flag) wants inside a class.
HTML_DATE_SHAPE = r"\s*(\d{8}|\d{1,2}[\-.\/ ]\d{1,2}[\-.\/ ]\d{4})\s*"
MAX_BODY_BYTES = 16 * 1024
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "label{display:block;margin-top:1rem;font-weight:600}"
    "input,textarea{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}"
    "button{margin-top:1.5rem;padding:.6rem 1.4rem;font:inherit}"
    "#error{color:#a00000;font-weight:600}"
    "dt{margin-top:1rem;font-weight:600}dd{margin:0}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


class FormSite:
    """The form pages on their own site, for an installation without Teams (which otherwise hosts them)."""

    def __init__(self, app: App) -> None:
        self._app = app
        self.serving = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        application = web.Application()
        add_form_routes(application, self._app)
        await serve_site(application, self._app.settings, stop, self.serving)


def add_form_routes(application: web.Application, app: App) -> None:
    pages = FormPages(app)
    route = form_path("{token}")
    application.router.add_get(route, pages.show)
    application.router.add_post(route, pages.send)


class FormPages:
    def __init__(self, app: App) -> None:
        self._app = app

    async def show(self, request: web.Request) -> web.Response:
        return self._page(await self._app.forms.open(request.match_info["token"]))

    async def send(self, request: web.Request) -> web.Response:
        if request.content_type != "application/x-www-form-urlencoded":  # what the page's own form sends
            raise web.HTTPUnsupportedMediaType()
        values = dict(
            parse_qsl((await _body(request)).decode("utf-8", "replace"), max_num_fields=len(FIELDS))
        )
        return self._page(await self._app.forms.submit(request.match_info["token"], values, CHANNEL))

    def _page(self, answer: FormAnswer) -> web.Response:
        texts, language = self._app.texts, answer.language
        reading = answer.details or (answer.form is not None and not answer.form.fields)
        # The tab's title stays in the browser's history: it names no case. The heading on the page does.
        title = texts.text(language, "subject.view.title" if reading else "subject.title")
        heading = answer.form.title if answer.form is not None else title
        if answer.form is not None:
            body = _form(answer.form)
        elif answer.details:
            body = _details(answer.details, answer.message or "")
        else:
            message = escape(answer.message or "")
            body = f'<p id="message" role="status">{message}</p><p>{escape(texts.text(language, "subject.page.close"))}</p>'
        html = (
            f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="robots" content="noindex, nofollow">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main><h1>{escape(heading)}</h1>{body}</main></body></html>"
        )
        return web.Response(text=html, content_type="text/html", charset="utf-8", headers=HEADERS)


async def _body(request: web.Request) -> bytes:
    """The body, refused past MAX_BODY_BYTES whether or not it said its length (a chunked body does not)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(MAX_BODY_BYTES, request.content_length or 0)
    read = bytearray()
    async for chunk in request.content.iter_chunked(4096):
        read += chunk
        if len(read) > MAX_BODY_BYTES:
            raise web.HTTPRequestEntityTooLarge(MAX_BODY_BYTES, len(read))
    return bytes(read)


def _details(details: tuple[tuple[str, str], ...], note: str) -> str:
    """A case's identifying details, read-only: a definition list, every value escaped (line breaks kept)."""
    rows = "".join(
        f"<dt>{escape(label)}</dt><dd>{escape(value).replace(chr(10), '<br>')}</dd>"
        for label, value in details
    )
    return f'<dl id="details">{rows}</dl><p id="message" role="status">{escape(note)}</p>'


def _form(offer: FormOffer) -> str:
    lines = escape(offer.error or "").replace("\n", "<br>")
    error = f'<p id="error" role="alert">{lines}</p>' if offer.error else ""
    fields = "".join(_field(item) for item in offer.fields)
    return (
        f"<p>{escape(offer.intro)}</p>{error}"
        f'<form method="post" autocomplete="off">{fields}'
        f'<button type="submit" id="send">{escape(offer.submit)}</button></form>'
    )


def _field(item: FormField) -> str:
    key = escape(item.key)
    shown = f"{item.label} ({item.hint})" if item.hint else item.label
    label = f'<label for="{key}">{escape(shown)}</label>'
    common = f'id="{key}" name="{key}" maxlength="{item.max_length}" required'
    if item.kind == "multiline":
        return f'{label}<textarea {common} rows="3"></textarea>'
    # A text input, not type=date: the label says the format, and people can paste a date as they know it. The
    # browser checks its shape before sending (a phone's numeric keypad types 29021980); the bot reads it again.
    if item.kind == "date":
        shape = f' inputmode="numeric" pattern="{escape(HTML_DATE_SHAPE)}" title="{escape(item.error)}"'
    else:
        shape = ""
    return f'{label}<input type="text" {common}{shape}>'
