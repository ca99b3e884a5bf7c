"""The bot token never reaches the log output, however it gets into a log record."""

from __future__ import annotations

import logging

import pytest

from bot.logs import REDACTED, RedactingFormatter, Redactor, configure_logging

TOKEN = "987654:LOGS-secret-token"
URL = f"https://api.telegram.org/bot{TOKEN}/getUpdates"

pytestmark = pytest.mark.usefixtures("restore_logging")


def test_token_in_arguments_is_replaced(capsys):
    configure_logging("INFO", [TOKEN])

    logging.getLogger("bot.test").info("POST %s -> %d", URL, 200)

    err = capsys.readouterr().err
    assert TOKEN not in err
    assert f"POST https://api.telegram.org/bot{REDACTED}/getUpdates -> 200" in err


def test_token_in_an_exception_and_its_traceback_is_replaced(capsys):
    configure_logging("INFO", [TOKEN])

    def fetch(url: str) -> None:
        raise ConnectionError(f"could not reach {url}")

    try:
        fetch(URL)
    except ConnectionError:
        logging.getLogger("bot.test").exception("polling failed")

    err = capsys.readouterr().err
    assert TOKEN not in err
    assert "Traceback (most recent call last)" in err
    assert f"ConnectionError: could not reach https://api.telegram.org/bot{REDACTED}" in err


def test_exception_passed_as_exc_info_is_redacted_too(capsys):
    configure_logging("INFO", [TOKEN])
    error = RuntimeError(f"token {TOKEN} rejected")

    logging.getLogger("bot.test").error("handler failed", exc_info=error)

    err = capsys.readouterr().err
    assert TOKEN not in err
    assert f"RuntimeError: token {REDACTED} rejected" in err


def test_url_encoded_token_is_replaced(capsys):
    configure_logging("INFO", [TOKEN])

    logging.getLogger("bot.test").warning("redirected to /bot987654%3ALOGS-secret-token/getMe")

    assert "LOGS-secret-token" not in capsys.readouterr().err


def test_other_handlers_such_as_caplog_get_redacted_records(caplog):
    configure_logging("DEBUG", [TOKEN])
    caplog.set_level(logging.DEBUG)

    logging.getLogger("telegram.Bot").debug("Set Bot API URL: %s", URL)
    try:
        raise ValueError(URL)
    except ValueError:
        logging.getLogger("bot.test").exception("failed")

    assert REDACTED in caplog.text
    assert TOKEN not in caplog.text
    assert caplog.records[1].exc_info is not None  # the exception itself is still there


def test_httpx_request_logs_are_silenced_because_they_carry_the_url():
    configure_logging("DEBUG", [TOKEN])

    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("telegram").getEffectiveLevel() == logging.DEBUG


def test_formatter_redacts_records_made_without_the_record_factory():
    formatter = RedactingFormatter(Redactor([TOKEN]))
    record = logging.makeLogRecord({"msg": "GET %s", "args": (URL,), "levelname": "INFO"})

    assert TOKEN not in formatter.format(record)


def test_replaces_the_basic_console_handler_and_its_own_earlier_one(capsys):
    logging.getLogger().addHandler(logging.StreamHandler())  # what logging.basicConfig adds
    configure_logging("INFO", ["old-token"])
    configure_logging("INFO", [TOKEN])

    logging.getLogger("bot.test").info("hello %s", TOKEN)

    err = capsys.readouterr().err
    assert err.count("hello") == 1
    assert TOKEN not in err


def test_empty_secrets_are_ignored(capsys):
    configure_logging("INFO", ["", TOKEN])

    logging.getLogger("bot.test").info("plain words")

    assert "plain words" in capsys.readouterr().err
