"""The Bot API stand-in must be strict where Telegram is, or the bot tests prove nothing."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from telegram_stand_in import TOKEN, EntityParseError, parse_html, text_message


@pytest.fixture
def api(telegram):
    with httpx.Client(base_url=f"{telegram.base_url}{TOKEN}/", timeout=5) as client:
        yield client


def send_message(api: httpx.Client, text: str, as_json: bool = False) -> httpx.Response:
    params = {"chat_id": 1001, "text": text, "parse_mode": "HTML"}
    if as_json:
        return api.post("sendMessage", json=params)
    # python-telegram-bot's way: a form whose non-string values are JSON-encoded.
    return api.post("sendMessage", data={k: str(v) for k, v in params.items()})


@pytest.mark.parametrize(
    "text",
    [
        "<b>open",
        "<b><i>crossed</b></i>",
        "closed</b>",
        "<script>alert(1)</script>",
        "<h1>title</h1>",
        "1 < 2",
        "fish & chips",
        "&nbsp;",
    ],
)
def test_html_that_telegram_cannot_parse_is_refused(api, telegram, text):
    response = send_message(api, text)

    assert response.status_code == 400
    assert response.json()["description"].startswith("Bad Request: can't parse entities")
    assert telegram.sent == []
    assert [c.status for c in telegram.calls_to("sendMessage")] == [400]


@pytest.mark.parametrize("as_json", [False, True])
def test_valid_html_is_accepted_from_forms_and_json(api, telegram, as_json):
    text = "<blockquote>1 &lt; 2 &amp; <b>bold</b> &#128512;</blockquote>\n<i>— src</i>"

    response = send_message(api, text, as_json=as_json)

    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["chat"] == {"id": 1001, "type": "private", "first_name": "Ada"}
    [sent] = telegram.sent
    assert sent.chat_id == 1001
    assert sent.text == text
    assert sent.plain_text == "1 < 2 & bold 😀\n— src"


def test_the_length_limit_applies_to_the_parsed_text(api):
    assert send_message(api, "&amp;" * 4096).status_code == 200
    too_long = send_message(api, "🙂" * 2049)  # 4,098 UTF-16 units
    assert too_long.status_code == 400
    assert too_long.json()["description"] == "Bad Request: message is too long"


def test_empty_text_is_refused(api):
    assert send_message(api, " <b> </b> ").json()["description"] == (
        "Bad Request: message text is empty"
    )


def test_wrong_token_is_unauthorized(telegram):
    response = httpx.post(f"{telegram.base_url}123:wrong/getMe")
    assert response.status_code == 401
    assert telegram.calls[0].token == "123:wrong"


def test_requests_are_recorded_with_their_url_and_decoded_parameters(api, telegram):
    commands = [{"command": "start", "description": "Hi"}]
    api.post("setMyCommands", data={"commands": json.dumps(commands)})
    api.post("somethingNew", json={"x": 1})

    set_commands, other = telegram.calls
    assert set_commands.path == f"/stand-in/bot{TOKEN}/setMyCommands"
    assert set_commands.params == {"commands": commands}
    assert (other.method, other.params, other.status) == ("somethingNew", {"x": 1}, 200)


def test_get_updates_returns_pushed_updates_from_the_offset(api, telegram):
    first = telegram.push(text_message("one"))
    second = telegram.push(text_message("two"))

    updates = api.post("getUpdates", data={"offset": "0", "timeout": "0"}).json()["result"]
    assert [u["update_id"] for u in updates] == [first["update_id"], second["update_id"]]
    assert updates[0]["message"]["text"] == "one"
    assert updates[0]["message"]["message_id"] != updates[1]["message"]["message_id"]

    offset = str(second["update_id"])
    updates = api.post("getUpdates", data={"offset": offset, "timeout": "0"}).json()["result"]
    assert [u["update_id"] for u in updates] == [second["update_id"]]


def test_long_polling_waits_briefly_and_returns_nothing(api):
    started = time.monotonic()
    response = api.post("getUpdates", data={"offset": "5", "timeout": "30"})
    waited = time.monotonic() - started

    assert response.json() == {"ok": True, "result": []}
    assert 0.15 <= waited < 1.0


def test_parse_html_decodes_entities_and_drops_tags():
    assert parse_html('<a href="https://x.org/?a=1&amp;b=2">link</a> &quot;q&quot;') == 'link "q"'
    with pytest.raises(EntityParseError, match="Unsupported start tag"):
        parse_html("<br>")


def keyboard(data: str) -> str:
    return json.dumps({"inline_keyboard": [[{"text": "More", "callback_data": data}]]})


def test_keyboards_are_kept_and_over_long_callback_data_is_refused(api, telegram):
    ok = api.post(
        "sendMessage", data={"chat_id": "1001", "text": "hi", "reply_markup": keyboard("p:k:1")}
    )
    too_long = api.post(
        "sendMessage", data={"chat_id": "1001", "text": "hi", "reply_markup": keyboard("x" * 65)}
    )

    assert ok.status_code == 200 and ok.json()["result"]["reply_markup"]["inline_keyboard"]
    assert too_long.status_code == 400
    assert too_long.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"
    [sent] = telegram.sent
    assert sent.buttons() == ["More"] and sent.button_data("Mo") == "p:k:1"


def test_an_edit_changes_the_message_and_an_edit_that_changes_nothing_is_refused(api, telegram):
    message_id = send_message(api, "<b>first</b>").json()["result"]["message_id"]
    edit = {
        "chat_id": "1001",
        "message_id": str(message_id),
        "text": "<i>second</i>",
        "parse_mode": "HTML",
    }
    first = api.post("editMessageText", data=edit)
    again = api.post("editMessageText", data=edit)
    missing = api.post("editMessageText", data={**edit, "message_id": "999999"})

    assert first.status_code == 200 and first.json()["result"]["text"] == "second"
    assert again.status_code == 400 and "message is not modified" in again.json()["description"]
    assert missing.status_code == 400
    assert telegram.message(telegram.sent[0]).plain_text == "second"
    assert [e.plain_text for e in telegram.edits] == ["second"]


def test_inline_answers_are_checked_like_messages(api, telegram):
    def answer(results: list) -> httpx.Response:
        return api.post(
            "answerInlineQuery", data={"inline_query_id": "q1", "results": json.dumps(results)}
        )

    good = {
        "type": "article",
        "id": "1",
        "title": "T",
        "input_message_content": {"message_text": "<b>x</b>", "parse_mode": "HTML"},
    }
    assert answer([good]).status_code == 200
    assert answer([good, good]).status_code == 400  # duplicate ids
    assert answer([{**good, "title": ""}]).status_code == 400
    broken = {**good, "input_message_content": {"message_text": "<b>x", "parse_mode": "HTML"}}
    assert answer([broken]).status_code == 400
    assert len(telegram.inline_answers) == 1
