"""How the bot's requests reach the Bot API when Telegram or the network misbehaves.

Two python-telegram-bot extension points carry the policy, so every request the bot makes
goes through it without the handlers knowing:

* ``BotApiRequest`` (the HTTP layer) cleans every string Telegram sends before anything
  parses it, and reports a 401, which means the token was revoked while running;
* ``DeliveryPolicy`` (the rate limiter slot, which wraps each request but ``getUpdates``)
  keeps to Telegram's flood limits, waits out a 429 in the chat it concerns only, and retries
  replies that failed in a way that proves Telegram did not act on them.

When is a retry safe? ``sendMessage`` has no idempotency key, so sending twice shows the
answer twice. A retry is made when Telegram answered with an error (5xx: it did not send), or
when the connection failed before Telegram could have had the whole request (refused,
connect or pool timeout, write error or write timeout), or when the connection was dropped
without any reply: Telegram replies even to failures, so a bare close is almost always a
stale keep-alive connection or a proxy dropping the request before it got anywhere. A read
timeout is different: the request was sent and Telegram may well have delivered it with
its reply merely late, so it is never repeated. The handlers treat such a reply as
delivered (``may_have_been_delivered``) and never apologise on top of it; the cost is that a
request swallowed whole by the network after being written goes unanswered.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
import warnings
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from telegram import constants
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.request import HTTPXRequest, RequestData
from telegram.warnings import PTBDeprecationWarning

from bot.telegram_text import clean_payload

log = logging.getLogger(__name__)

# Requests a user is waiting for. sendChatAction is left out: a typing indicator expires in
# five seconds, and retrying it would only hold up the answer it announces.
RETRIED_ENDPOINTS = frozenset({"sendMessage", "answerCallbackQuery"})
# httpx failures in which Telegram cannot have acted on the request (see the module docs).
_NOT_ACTED_ON = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
)
# Forget per-chat flood pauses once this many have piled up and expired.
_PAUSES_KEPT = 512


@dataclass(frozen=True, slots=True)
class Backoff:
    """Capped exponential pauses: ``first``, twice that, ... never more than ``longest``."""

    first: float
    longest: float

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield min(delay, self.longest)
            delay = min(delay * 2, self.longest)


def may_have_been_delivered(error: BaseException) -> bool:
    """Whether Telegram may have acted on a request that failed with ``error``: the request
    was written but the reply did not come in time."""
    return isinstance(error, TimedOut) and isinstance(error.__cause__, httpx.ReadTimeout)


def retry_is_safe(error: BaseException) -> bool:
    """Whether repeating the request cannot make Telegram do the same thing twice."""
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False
    if may_have_been_delivered(error):
        return False
    cause = error.__cause__
    if cause is None or isinstance(cause, TelegramError):
        # A 5xx reply: python-telegram-bot raises a bare NetworkError, chained to the
        # parsing error when the body was a proxy's HTML page. Either way Telegram said no.
        return True
    return isinstance(cause, _NOT_ACTED_ON)


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, read without python-telegram-bot's warning that the
    attribute will become a timedelta: both forms are handled."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class BotApiRequest(HTTPXRequest):
    """The standard HTTPX transport with two additions at the edge of the process.

    Telegram's JSON may carry ``\\ud800``-style escapes of lone surrogates, which Python
    decodes into strings that cannot be encoded back to UTF-8; cleaning every string of every
    reply here means no handler, search or template ever sees one. And a 401 is reported to
    ``on_unauthorized`` whichever request got it: python-telegram-bot's polling loop just
    stops on it, leaving a process that is up but deaf.
    """

    def __init__(self, *, on_unauthorized: Callable[[], None] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._on_unauthorized = on_unauthorized

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if code == HTTPStatus.UNAUTHORIZED and self._on_unauthorized is not None:
            self._on_unauthorized()
        return code, payload

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:
        """As python-telegram-bot parses, minus its traceback for a body that is not JSON:
        that is a proxy's error page (an HTML 502), an expected failure, retried and
        logged in one line by the caller."""
        try:
            decoded = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            log.debug("Not JSON from the Bot API: %r", payload[:200])
            raise TelegramError("Invalid server response") from None
        return clean_payload(decoded)


class FifoLimiter:
    """At most ``rate`` requests a second after a burst of ``rate``, let through in the
    order they asked (a generic cell rate algorithm: each caller books the next free slot
    at once, then sleeps until it).

    aiolimiter's AsyncLimiter, used before, keeps the rate but not the order: its waiters
    all wake every 1/rate seconds and whichever checks first goes, so under a burst of 100
    chats some answers waited three times as long as the average. With slots booked in
    order, every chat waits about the same, which is what a p95 measures.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._tolerance = (rate - 1) * self._interval
        self._clock = clock
        self._next = 0.0
        """The theoretical arrival time of the next request."""

    def delay(self) -> float:
        """Books a slot and says how long to wait for it."""
        now = self._clock()
        slot = max(self._next, now)
        self._next = slot + self._interval
        return max(0.0, slot - self._tolerance - now)

    async def __aenter__(self) -> None:
        wait = self.delay()
        if wait > 0:
            await asyncio.sleep(wait)

    async def __aexit__(self, *exc_info: object) -> None:
        return None


class DeliveryPolicy(BaseRateLimiter[int]):
    """Flood limits, per-chat 429 waits and safe retries for every request but getUpdates.

    Telegram allows about 30 messages a second overall and 20 a minute in a group; both are
    kept to as python-telegram-bot's AIORateLimiter does, the overall one first come, first
    served (``FifoLimiter``). Unlike AIORateLimiter, a 429
    ("retry after N seconds") pauses only the chat it came from: Telegram's flood replies are
    nearly always about one chat, and holding every user's answer for that chat's wait is
    what made one busy chat stall the whole bot.
    """

    def __init__(
        self,
        backoff: Backoff,
        attempts: int,
        flood_retries: int,
        overall_per_second: float = constants.FloodLimit.MESSAGES_PER_SECOND,
        group_per_minute: float = constants.FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
    ) -> None:
        self._backoff = backoff
        self._attempts = attempts
        self._flood_retries = flood_retries
        self._overall = FifoLimiter(overall_per_second)
        self._group_per_minute = group_per_minute
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._resume_at: dict[int | str | None, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up: limiters are made on first use."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = _chat_key(data.get("chat_id"))
        flood_retries = self._flood_retries if rate_limit_args is None else rate_limit_args
        attempts = self._attempts if endpoint in RETRIED_ENDPOINTS else 1
        delays = self._backoff.delays()
        failures = 0
        while True:
            await self._wait_for(chat)
            try:
                async with self._limits(chat):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if flood_retries <= 0:
                    raise
                flood_retries -= 1
                wait = retry_after_seconds(error) + 0.1
                self._pause(chat, wait)
                log.info(
                    "Telegram asked to slow down (%s to chat %s): only that chat waits %.1f s",
                    endpoint,
                    chat,
                    wait,
                )
            except TelegramError as error:
                failures += 1
                if failures >= attempts or not retry_is_safe(error):
                    raise
                delay = next(delays)
                log.warning(
                    "%s failed (%s: %s); retrying in %.1f s, attempt %d of %d",
                    endpoint,
                    type(error).__name__,
                    error,
                    delay,
                    failures + 1,
                    attempts,
                )
                await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def _limits(self, chat: int | str | None) -> AsyncIterator[None]:
        """Telegram's flood limits: messages to chats count overall, group messages per group."""
        async with contextlib.AsyncExitStack() as stack:
            if chat is not None:
                await stack.enter_async_context(self._overall)
            if _is_group(chat):
                await stack.enter_async_context(self._group(chat))
            yield

    def _group(self, chat: int | str) -> AsyncLimiter:
        limiter = self._groups.get(chat)
        if limiter is None:
            if len(self._groups) > _PAUSES_KEPT:
                self._groups = {
                    k: v for k, v in self._groups.items() if not v.has_capacity(v.max_rate)
                }
            limiter = self._groups[chat] = AsyncLimiter(self._group_per_minute, 60)
        return limiter

    async def _wait_for(self, chat: int | str | None) -> None:
        while (left := self._resume_at.get(chat, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(left)

    def _pause(self, chat: int | str | None, seconds: float) -> None:
        now = time.monotonic()
        if len(self._resume_at) > _PAUSES_KEPT:
            self._resume_at = {k: t for k, t in self._resume_at.items() if t > now}
        self._resume_at[chat] = max(self._resume_at.get(chat, 0.0), now + seconds)


def _chat_key(chat_id: object) -> int | str | None:
    """The chat a request is about, as one key whether the id came as int or string."""
    if chat_id is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(chat_id)  # type: ignore[call-overload]
    return str(chat_id)


def _is_group(chat: int | str | None) -> bool:
    """Negative ids and @usernames are groups, supergroups or channels."""
    return isinstance(chat, str) or (isinstance(chat, int) and chat < 0)
