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
