"""Who may use the bot, who may run it, and how fast anyone may ask.

Pure rules over ids and times; the handlers decide what to say. Time is passed in, so the
per-minute limit is tested without waiting a minute.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

WINDOW_SECONDS = 60.0
TRACKED_LIMIT = 10_000
"""Users and chats remembered for the limit and for refusals; the least recent go first."""


@dataclass(frozen=True)
class Access:
    """Either allowlist set restricts the bot: a message is served when its sender is in
    ``users`` or its chat is in ``chats`` (so a team's group can be opened without listing
    every member). Admins are always served."""

    users: frozenset[int] = frozenset()
    chats: frozenset[int] = frozenset()
    admins: frozenset[int] = frozenset()

    @classmethod
    def of(cls, users: Collection[int], chats: Collection[int], admins: Collection[int]) -> Access:
        return cls(frozenset(users), frozenset(chats), frozenset(admins))

    @property
    def restricted(self) -> bool:
        return bool(self.users or self.chats)

    def allows(self, user_id: int | None, chat_id: int | None) -> bool:
        if not self.restricted:
            return True
        if user_id is not None and (user_id in self.users or user_id in self.admins):
            return True
        return chat_id is not None and chat_id in self.chats

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


class Once:
    """Remembers whom something was said to, so a refusal is said once and not to every
    message after it."""

    def __init__(self, limit: int = TRACKED_LIMIT) -> None:
        self._limit = limit
        self._seen: OrderedDict[object, None] = OrderedDict()

    def first_time(self, key: object) -> bool:
        if key in self._seen:
            self._seen.move_to_end(key)
            return False
        self._seen[key] = None
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)
        return True


class Verdict(Enum):
    ASK = "ask"
    SLOW_DOWN = "slow down"
    """Over the limit for the first time in this burst: say so, once."""
    QUIET = "quiet"
    """Still over the limit, already told."""


class QuestionLimit:
    """At most ``per_minute`` questions per user in any 60 seconds (0: no limit). Refused
    questions do not count, so a user who keeps typing gets going again a minute after their
    last accepted question; they hear "slow down" once per burst."""

    def __init__(self, per_minute: int, limit: int = TRACKED_LIMIT) -> None:
        self._per_minute = per_minute
        self._limit = limit
        self._asked: OrderedDict[int, deque[float]] = OrderedDict()
        self._told: set[int] = set()

    def check(self, user_id: int, now: float) -> Verdict:
        if self._per_minute <= 0:
            return Verdict.ASK
        times = self._asked.pop(user_id, None) or deque()
        self._asked[user_id] = times
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        while len(self._asked) > self._limit:
            old, _ = self._asked.popitem(last=False)
            self._told.discard(old)
        if len(times) < self._per_minute:
            times.append(now)
            self._told.discard(user_id)
            return Verdict.ASK
        if user_id in self._told:
            return Verdict.QUIET
        self._told.add(user_id)
        return Verdict.SLOW_DOWN
