"""Logging for the bot process, with the bot token scrubbed from everything it writes.

Whoever holds the token controls the bot, yet it travels inside every API URL:
python-telegram-bot logs that URL at DEBUG, httpx logs each request URL at INFO, and an
exception message or traceback can carry it too. So secrets are replaced twice: when a
record is created, which protects every handler including ones added later (pytest's caplog,
an error tracker), and again in our console handler's formatter, for records built without
the record factory (``logging.makeLogRecord``) or text added by formatting itself.

Logging is not the only way text leaves a process: an uncaught exception is printed by
``sys.excepthook`` (python-telegram-bot's InvalidToken message quotes the token), one in a
thread by ``threading.excepthook``, one in a finaliser by ``sys.unraisablehook``, and warnings
by ``warnings.showwarning``. ``configure_logging`` routes all of them through the same
redaction.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any
from urllib.parse import quote

REDACTED = "***"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# httpx logs full request URLs at INFO and httpcore dumps connection details at DEBUG.
NOISY_LOGGERS = ("httpx", "httpcore")
_HANDLER_NAME = "bot.redacting-console"
# Only used for its formatException, which is what every standard formatter would print.
_TRACEBACK_FORMATTER = logging.Formatter()


def token_secrets(token: str) -> list[str]:
    """What to scrub for a bot token: the token, and its secret half on its own, since the
    part before the colon is the bot's public id and text split at the colon (a URL parser,
    a "bot id / secret" message) would otherwise still carry what grants control."""
    _, _, secret = token.partition(":")
    return [token, secret] if secret else [token]


class Redactor:
    """Replaces each secret, also in its URL-encoded form, with ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        variants = {form for secret in secrets if secret for form in (secret, quote(secret, ""))}
        # Longest first, so a secret containing another is replaced whole.
        self._secrets = sorted(variants, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def scrub_record(record: logging.LogRecord, redact: Callable[[str], str]) -> None:
    """Bakes the message and traceback into the record with secrets removed, so no later
    formatting of the original arguments or exception can bring a secret back."""
    try:
        message = record.getMessage()
    except Exception:
        # Left as it is: logging reports the broken format string itself when a handler
        # emits the record, and our formatter still redacts whatever that prints.
        return
    record.msg = redact(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = _TRACEBACK_FORMATTER.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactingRecordFactory:
    """Wraps the log record factory so every record is scrubbed as soon as it exists."""

    def __init__(
        self, base: Callable[..., logging.LogRecord], redact: Callable[[str], str]
    ) -> None:
        self.base = base
        self.redact = redact

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.base(*args, **kwargs)
        scrub_record(record, self.redact)
        return record


class RedactingFormatter(logging.Formatter):
    """Redacts the final text, traceback included, as the last line of defence."""

    def __init__(self, redact: Callable[[str], str], fmt: str = LOG_FORMAT) -> None:
        super().__init__(fmt)
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


class RedactingExceptHook:
    """``sys.excepthook`` that prints the usual traceback with secrets removed."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        self.redact = redact

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(self.redact(text))


class RedactingThreadHook:
    """``threading.excepthook`` with secrets removed; like the default, silent on SystemExit."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        self.redact = redact

    def __call__(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else threading.get_ident()
        text = "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        )
        sys.stderr.write(self.redact(f"Exception in thread {name}:\n{text}"))


class RedactingUnraisableHook:
    """``sys.unraisablehook`` (errors in finalisers and callbacks) with secrets removed."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        self.redact = redact

    def __call__(self, unraisable: Any) -> None:
        where = unraisable.err_msg or "Exception ignored in"
        text = f"{where}: {unraisable.object!r}\n"
        if unraisable.exc_type is not None:
            text += "".join(
                traceback.format_exception(
                    unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback
                )
            )
        sys.stderr.write(self.redact(text))


def guard_uncaught_output(redact: Callable[[str], str]) -> None:
    """Sends what Python prints outside logging through ``redact``; warnings become log
    records, which the record factory scrubs."""
    sys.excepthook = RedactingExceptHook(redact)
    threading.excepthook = RedactingThreadHook(redact)
    sys.unraisablehook = RedactingUnraisableHook(redact)
    logging.captureWarnings(True)


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """Sends log records to stderr at ``level`` with ``secrets`` replaced by ``***``.

    Safe to call again (with a new token, say): it replaces its own handler and record
    factory instead of stacking them. A plain console handler left by
    ``logging.basicConfig`` is replaced too, so lines are not printed twice; other handlers
    (files, pytest's capture) are kept and receive already-scrubbed records. Uncaught
    exceptions and warnings are scrubbed too (``guard_uncaught_output``).
    """
    redact = Redactor(secrets)
    guard_uncaught_output(redact)
    factory = logging.getLogRecordFactory()
    base = factory.base if isinstance(factory, RedactingRecordFactory) else factory
    logging.setLogRecordFactory(RedactingRecordFactory(base, redact))

    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(RedactingFormatter(redact))
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == _HANDLER_NAME or type(old) is logging.StreamHandler:
            root.removeHandler(old)
            old.close()
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
