"""A small Telegram Bot API served over real HTTP on 127.0.0.1, for driving the real bot.

It answers the methods the bot calls, records every request (URL, method, parameters), and
validates what matters the way Telegram does: an unknown token gets 401, and a sendMessage
whose HTML does not parse or whose text is too long gets 400, so escaping and splitting bugs
fail the tests instead of failing in production.

Time is compressed: a long-polling getUpdates waits at most 0.2 s for an update (and returns
at once when one is pushed), so tests stay fast.

Telegram's bad days can be scripted: ``fail`` queues HTTP errors (5xx, 429 with
``retry_after``, 401, 404) or slow replies for a method, optionally for one chat only, and
setting ``token`` to something else revokes the bot's token.

The ``*_message`` helpers build the JSON Telegram would deliver; ``TelegramStandIn.push``
gives each update its ``update_id`` and ``message_id``. Inline keyboards are kept with the
messages they came with, ``editMessageText`` changes a sent message (refusing, as Telegram
does, an edit that changes nothing, and callback data over 64 bytes), ``press`` builds the
callback query a tap on one of a message's buttons sends, and ``answerInlineQuery`` checks
results as Telegram does (at most 50, unique ids, titles, message texts that parse).
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

# Shaped like a real token ("<bot id>:<secret>"); tests check it never leaks anywhere.
TOKEN = "123456:TEST-secret-token"
MAX_POLL_WAIT = 0.2
MESSAGE_LIMIT = 4096
DATE = 1_700_000_000

BOT_ID = 123456
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "News Test Bot",
    "username": "news_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
USER = {"id": 1001, "is_bot": False, "first_name": "Ada", "language_code": "en"}
OTHER_USER = {"id": 1002, "is_bot": False, "first_name": "Bo", "language_code": "en"}
PRIVATE_CHAT = {"id": 1001, "type": "private", "first_name": "Ada"}
OTHER_PRIVATE_CHAT = {"id": 1002, "type": "private", "first_name": "Bo"}
GROUP_CHAT = {"id": -2002, "type": "group", "title": "Newsroom"}
SUPERGROUP_CHAT = {"id": -1004004, "type": "supergroup", "title": "Big newsroom"}
CHANNEL_CHAT = {"id": -1003003, "type": "channel", "title": "News channel"}

# Telegram's HTML: https://core.telegram.org/bots/api#html-style (the short names are synonyms).
ALLOWED_TAGS = frozenset(
    "b strong i em u ins s strike del code pre a blockquote tg-spoiler span tg-emoji".split()
)
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)
_ENTITY = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z]+));")
_TAG_BODY = re.compile(r"(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?")
_API_PATH = re.compile(r"^(?P<prefix>.*?)/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
# Parameters that are plain strings; python-telegram-bot JSON-encodes every other value.
_STRING_PARAMS = frozenset(
    {
        "text",
        "parse_mode",
        "action",
        "caption",
        "business_connection_id",
        "callback_query_id",
        "inline_query_id",
        "url",
        "secret_token",
        "inline_message_id",
        "next_offset",
    }
)
CALLBACK_DATA_LIMIT = 64


class EntityParseError(ValueError):
    pass


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def parse_html(text: str) -> str:
    """The plain text of a Telegram HTML message, or EntityParseError for what Telegram
    refuses: unknown or unbalanced tags, a ``<`` that starts no tag, and an ``&`` that does
    not start a supported entity."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0

    def error(reason: str) -> EntityParseError:
        return EntityParseError(f"{reason} at byte offset {len(text[:i].encode())}")

    while i < len(text):
        ch = text[i]
        if ch == "<":
            end = text.find(">", i)
            body = _TAG_BODY.fullmatch(text[i + 1 : end]) if end >= 0 else None
            if body is None:
                raise error("Can't find end of the tag")
            closing, name = body.group(1), body.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise error(f'Unsupported {"end" if closing else "start"} tag "{name}"')
            if not closing:
                open_tags.append(name)
            elif not open_tags or open_tags[-1] != name:
                raise error(f'Unmatched end tag "</{name}>"')
            else:
                open_tags.pop()
            i = end + 1
        elif ch == "&":
            entity = _ENTITY.match(text, i)
            if entity is None or (entity.group(3) and entity.group(3) not in NAMED_ENTITIES):
                raise error("Unsupported HTML entity")
            decimal, hexadecimal, name = entity.groups()
            if name:
                out.append(NAMED_ENTITIES[name])
            else:
                out.append(chr(int(decimal) if decimal else int(hexadecimal, 16)))
            i = entity.end()
        else:
            out.append(ch)
            i += 1
    if open_tags:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


@dataclass(frozen=True)
class ApiCall:
    """One request as the stand-in received it."""

    method: str
    path: str
    token: str
    params: dict[str, Any]
    status: int
    description: str = ""
    at: float = field(default_factory=time.monotonic)
    """When the request arrived (time.monotonic)."""
    scripted: bool = False
    """Failed because a test asked for it (``fail``), not because the request was wrong."""


@dataclass(frozen=True)
class Fault:
    """What one scripted call does instead of (or before) its normal reply.

    With ``status`` the call fails with that HTTP status and Telegram's JSON error body,
    without being carried out; ``retry_after`` adds the parameter a 429 carries. ``delay``
    seconds pass before the reply; with ``status`` None the call is then carried out normally,
    i.e. a message is delivered but its reply comes late. ``chat_id`` limits the fault to
    calls for that chat.
    """

    status: int | None = None
    description: str = ""
    retry_after: float | None = None
    delay: float = 0.0
    chat_id: int | None = None


@dataclass(frozen=True)
class SentMessage:
    """A message the bot managed to send, i.e. one Telegram accepted."""

    chat_id: int | str
    text: str
    """The HTML (or plain text) exactly as the bot sent it."""
    plain_text: str
    """What the user sees once Telegram has parsed the HTML."""
    parse_mode: str | None
    reply_parameters: dict[str, Any] | None
    link_preview_options: dict[str, Any] | None
    message_id: int
    at: float = field(default_factory=time.monotonic)
    reply_markup: dict[str, Any] | None = None

    def buttons(self) -> list[str]:
        """The labels of the message's inline buttons, row by row."""
        return [
            b["text"] for row in (self.reply_markup or {}).get("inline_keyboard", []) for b in row
        ]

    def button_data(self, label_start: str) -> str:
        """The callback data of the first button whose label starts with ``label_start``."""
        for row in (self.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"].startswith(label_start):
                    return button["callback_data"]
        raise AssertionError(f"no button {label_start!r} in {self.buttons()}")


class ApiError(Exception):
    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


_DESCRIPTIONS = {
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class _State:
    calls: list[ApiCall] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    current: dict[tuple[int | str, int], SentMessage] = field(default_factory=dict)
    """Each sent message as it reads now, after any edits."""
    edits: list[SentMessage] = field(default_factory=list)
    inline_answers: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    next_update_id: int = 1
    next_message_id: int = 1


class TelegramStandIn:
    """The Bot API for one test, served by ``server`` (which it takes over)."""

    def __init__(self, server: HTTPServer, token: str, prefix: str = "/bot") -> None:
        self.server = server
        self.token = token
        self.base_url = server.url_for(prefix)
        self._state = _State()
        self._changed = threading.Condition()
        server.clear()
        server.expect_request(re.compile(".*")).respond_with_handler(self._respond)

    # ---- what tests use -------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queues an update (as built by the helpers below) for the bot's next getUpdates and
        returns it with the ids Telegram would have given it."""
        with self._changed:
            update = {"update_id": self._state.next_update_id, **update}
            self._state.next_update_id += 1
            for message in update.values():
                if isinstance(message, dict) and "message_id" not in message:
                    message["message_id"] = self._new_message_id()
            self._state.updates.append(update)
            self._changed.notify_all()
        return update

    def fail(self, method: str, *faults: Fault | int) -> None:
        """Makes the next calls of ``method`` (matching each fault's chat) go wrong, one
        fault per call, in order; a bare int is ``Fault(status=that)``."""
        with self._changed:
            queue = self._state.faults.setdefault(method.lower(), [])
            queue.extend(f if isinstance(f, Fault) else Fault(status=f) for f in faults)

    @property
    def pending_faults(self) -> int:
        with self._changed:
            return sum(len(queue) for queue in self._state.faults.values())

    @property
    def calls(self) -> list[ApiCall]:
        with self._changed:
            return list(self._state.calls)

    @property
    def sent(self) -> list[SentMessage]:
        with self._changed:
            return list(self._state.sent)

    @property
    def rejected(self) -> list[ApiCall]:
        """Requests Telegram would have refused, leaving out the failures tests scripted."""
        return [c for c in self.calls if c.status != 200 and not c.scripted]

    @property
    def edits(self) -> list[SentMessage]:
        """Every successful editMessageText, as the message read after it."""
        with self._changed:
            return list(self._state.edits)

    @property
    def inline_answers(self) -> list[dict[str, Any]]:
        """The parameters of every accepted answerInlineQuery."""
        with self._changed:
            return list(self._state.inline_answers)

    def message(self, sent: SentMessage) -> SentMessage:
        """``sent`` as it reads now, after any edits."""
        with self._changed:
            return self._state.current[(sent.chat_id, sent.message_id)]

    def press(
        self, sent: SentMessage, label_start: str, user: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Pushes the callback query a tap on ``sent``'s button sends, as the message is now."""
        now = self.message(sent)
        data = now.button_data(label_start)
        return self.push(callback_query(data, message=as_received(now), user=user))

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    async def wait_until(
        self, condition: Callable[[], bool], what: str, timeout: float = 5.0
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                summary = [(c.method, c.status, c.description) for c in self.calls]
                raise AssertionError(f"timed out waiting for {what}; requests: {summary}")
            await asyncio.sleep(0.01)

    async def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """The first ``count`` messages the bot sent, once they have all arrived."""
        await self.wait_until(lambda: len(self.sent) >= count, f"{count} sent messages", timeout)
        return self.sent[:count]

    async def wait_for_edits(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        await self.wait_until(lambda: len(self.edits) >= count, f"{count} edits", timeout)
        return self.edits[:count]

    async def wait_for_answered_presses(self, count: int, timeout: float = 5.0) -> list[ApiCall]:
        def answered() -> bool:
            return len(self.calls_to("answerCallbackQuery")) >= count

        await self.wait_until(answered, f"{count} answered button presses", timeout)
        return self.calls_to("answerCallbackQuery")[:count]

    # ---- the API --------------------------------------------------------------------

    def _respond(self, request: Request) -> Response:
        match = _API_PATH.match(request.path)
        method = match.group("method") if match else ""
        token = match.group("token") if match else ""
        params = _params(request)
        arrived = time.monotonic()
        fault: Fault | None = None
        try:
            if match is None:
                raise ApiError(404, "Not Found")
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            fault = self._take_fault(method.lower(), params)
            if fault is not None:
                time.sleep(fault.delay)
                if fault.status is not None:
                    description = fault.description or _DESCRIPTIONS.get(fault.status, "Error")
                    retry = {"retry_after": fault.retry_after} if fault.retry_after else None
                    raise ApiError(
                        fault.status, description.format(retry_after=fault.retry_after), retry
                    )
            result = self._call(method.lower(), params)
        except ApiError as e:
            scripted = fault is not None
            call = ApiCall(
                method, request.path, token, params, e.status, e.description, arrived, scripted
            )
            self._record(call)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": e.status,
                "description": e.description,
            }
            if e.parameters:
                body["parameters"] = e.parameters
            return _json_response(body, e.status)
        self._record(ApiCall(method, request.path, token, params, 200, "", arrived))
        return _json_response({"ok": True, "result": result}, 200)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        with self._changed:
            queue = self._state.faults.get(method, [])
            for i, fault in enumerate(queue):
                if fault.chat_id is None or fault.chat_id == params.get("chat_id"):
                    return queue.pop(i)
        return None

    def _call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getme":
            return BOT_USER
        if method == "getupdates":
            return self._updates(params)
        if method == "sendmessage":
            return self._send_message(params)
        if method == "editmessagetext":
            return self._edit_message(params)
        if method == "answerinlinequery":
            return self._answer_inline(params)
        if method == "sendchataction":
            if params.get("action") not in CHAT_ACTIONS:
                raise ApiError(400, "Bad Request: wrong parameter action in request")
            return True
        if method == "answercallbackquery":
            if not params.get("callback_query_id"):
                raise ApiError(400, "Bad Request: query is too old or query ID is invalid")
            if len(params.get("text") or "") > 200:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            return True
        if method == "setmycommands":
            for command in params.get("commands", []):
                if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                    raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
                if not 1 <= len(command.get("description", "")) <= 256:
                    raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            return True
        # deleteWebhook, close, and anything else: accepted and recorded.
        return True

    def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = MAX_POLL_WAIT if int(params.get("timeout") or 0) > 0 else 0.0
        with self._changed:
            # Like Telegram: an offset confirms (forgets) every update before it.
            self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
            self._changed.wait_for(lambda: bool(self._state.updates), timeout=wait)
            return list(self._state.updates[: int(params.get("limit") or 100)])

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or "chat_id" not in params:
            raise ApiError(400, "Bad Request: message text is empty")
        parse_mode = params.get("parse_mode")
        plain = _checked_text(text, parse_mode)
        markup = _checked_markup(params.get("reply_markup"))
        chat_id = params["chat_id"]
        with self._changed:
            message_id = self._new_message_id()
            sent = SentMessage(
                chat_id=chat_id,
                text=text,
                plain_text=plain,
                parse_mode=parse_mode,
                reply_parameters=params.get("reply_parameters"),
                link_preview_options=params.get("link_preview_options"),
                message_id=message_id,
                reply_markup=markup,
            )
            self._state.sent.append(sent)
            self._state.current[(chat_id, message_id)] = sent
        return as_received(sent)

    def _edit_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str):
            raise ApiError(400, "Bad Request: message text is empty")
        parse_mode = params.get("parse_mode")
        plain = _checked_text(text, parse_mode)
        markup = _checked_markup(params.get("reply_markup"))
        key = (params.get("chat_id"), params.get("message_id"))
        with self._changed:
            old = self._state.current.get(key)  # type: ignore[arg-type]
            if old is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if old.text == text and old.reply_markup == markup:
                raise ApiError(
                    400,
                    "Bad Request: message is not modified: specified new message content and "
                    "reply markup are exactly the same as a current content and reply markup "
                    "of the message",
                )
            new = replace(
                old, text=text, plain_text=plain, parse_mode=parse_mode, reply_markup=markup
            )
            self._state.current[key] = new  # type: ignore[index]
            self._state.edits.append(new)
        return as_received(new)

    def _answer_inline(self, params: dict[str, Any]) -> bool:
        if not params.get("inline_query_id"):
            raise ApiError(400, "Bad Request: query is too old or query ID is invalid")
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results]
        if len(set(ids)) != len(ids) or any(not i or len(str(i).encode()) > 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE or invalid")
        for result in results:
            if result.get("type") != "article" or not result.get("title"):
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            content = result.get("input_message_content") or {}
            _checked_text(content.get("message_text", ""), content.get("parse_mode"))
        with self._changed:
            self._state.inline_answers.append(params)
        return True

    def _new_message_id(self) -> int:
        message_id = self._state.next_message_id
        self._state.next_message_id += 1
        return message_id

    def _record(self, call: ApiCall) -> None:
        with self._changed:
            self._state.calls.append(call)


def _checked_text(text: str, parse_mode: str | None) -> str:
    """The text the user sees, or the 400 Telegram answers for it."""
    if parse_mode is not None and parse_mode.upper() != "HTML":
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} here")
    plain = text
    if parse_mode is not None:
        try:
            plain = parse_html(text)
        except EntityParseError as e:
            raise ApiError(400, f"Bad Request: can't parse entities: {e}") from e
    if not plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_length(plain) > MESSAGE_LIMIT:
        raise ApiError(400, "Bad Request: message is too long")
    return plain


def _checked_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def as_received(sent: SentMessage) -> dict[str, Any]:
    """A sent message as Telegram returns it, and as it appears in a callback query."""
    received: dict[str, Any] = {
        "message_id": sent.message_id,
        "date": DATE,
        "chat": _chat_for(sent.chat_id),
        "from": BOT_USER,
        "text": sent.plain_text.strip(),
    }
    if sent.reply_markup is not None:
        received["reply_markup"] = sent.reply_markup
    return received


def _params(request: Request) -> dict[str, Any]:
    """Parameters from a JSON body, a form, or a query string, decoded to Python values."""
    if request.is_json:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}
    raw = {**request.args.to_dict(), **request.form.to_dict()}
    return {key: value if key in _STRING_PARAMS else _decode(value) for key, value in raw.items()}


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _chat_for(chat_id: int | str) -> dict[str, Any]:
    for chat in (PRIVATE_CHAT, OTHER_PRIVATE_CHAT, GROUP_CHAT, SUPERGROUP_CHAT, CHANNEL_CHAT):
        if chat["id"] == chat_id:
            return chat
    return {"id": chat_id, "type": "private", "first_name": "Someone"}


def _json_response(body: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


# ---- updates as Telegram delivers them ----------------------------------------------


def _message(
    chat: dict[str, Any] | None = None, user: dict[str, Any] | None = None, **content: Any
) -> dict[str, Any]:
    chat = chat or PRIVATE_CHAT
    sender = {} if chat["type"] == "channel" else {"from": user or USER}
    return {"date": DATE, "chat": chat, **sender, **content}


def text_message(
    text: str,
    chat: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    reply_to: SentMessage | None = None,
) -> dict[str, Any]:
    """A text message; ``reply_to`` makes it a reply to one of the bot's messages."""
    extra = {"reply_to_message": as_received(reply_to)} if reply_to is not None else {}
    return {"message": _message(chat, user, text=text, **extra)}


def command(
    text: str, chat: dict[str, Any] | None = None, user: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``"/start"`` or ``"/help extra words"``: Telegram marks the command with an entity."""
    name = text.split()[0]
    entity = {"type": "bot_command", "offset": 0, "length": utf16_length(name)}
    return {"message": _message(chat, user, text=text, entities=[entity])}


def inline_query(query: str, user: dict[str, Any] | None = None) -> dict[str, Any]:
    """What typing "@bot <query>" in any chat sends the bot."""
    return {
        "inline_query": {
            "id": f"inline-{abs(hash(query)) % 10**8}",
            "from": user or USER,
            "query": query,
            "offset": "",
        }
    }


def edited_message(text: str, message_id: int = 1) -> dict[str, Any]:
    return {"edited_message": _message(text=text, message_id=message_id, edit_date=DATE + 60)}


def channel_post(text: str) -> dict[str, Any]:
    return {"channel_post": _message(CHANNEL_CHAT, text=text, sender_chat=CHANNEL_CHAT)}


def _file(kind: str, **extra: Any) -> dict[str, Any]:
    return {"file_id": f"{kind}-file-id", "file_unique_id": f"{kind}-unique", **extra}


def sticker_message() -> dict[str, Any]:
    sticker = _file(
        "sticker", width=512, height=512, is_animated=False, is_video=False, type="regular"
    )
    return {"message": _message(sticker=sticker)}


def photo_message(caption: str | None = None) -> dict[str, Any]:
    sizes = [_file("photo-small", width=90, height=60), _file("photo", width=1280, height=853)]
    extra = {"caption": caption} if caption is not None else {}
    return {"message": _message(photo=sizes, **extra)}


def voice_message() -> dict[str, Any]:
    return {"message": _message(voice=_file("voice", duration=3, mime_type="audio/ogg"))}


def document_message(caption: str | None = None) -> dict[str, Any]:
    document = _file("document", file_name="notes.pdf", mime_type="application/pdf")
    extra = {"caption": caption} if caption is not None else {}
    return {"message": _message(document=document, **extra)}


_query_ids = iter(range(1, 10**9))


def callback_query(
    data: str | None,
    chat: dict[str, Any] | None = None,
    message: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A press on an inline button under ``message`` (by default one of the bot's old
    messages, which it no longer knows)."""
    if message is None:
        message = {**_message(chat, text="An old answer"), "from": BOT_USER, "message_id": 99_000}
    query: dict[str, Any] = {
        "id": f"query-{next(_query_ids)}-{data}"[:64],
        "from": user or USER,
        "chat_instance": "instance-1",
        "message": message,
    }
    if data is not None:
        query["data"] = data
    return {"callback_query": query}


def location_message() -> dict[str, Any]:
    return {"message": _message(location={"latitude": 59.91, "longitude": 10.75})}


def contact_message() -> dict[str, Any]:
    return {"message": _message(contact={"phone_number": "+4712345678", "first_name": "Bo"})}
