"""The bot's memory on disk, so buttons and follow-ups survive a restart.

One JSON file in ``DATA_DIR``, replaced atomically (written beside, then renamed), so a
crash mid-write leaves the previous file whole. A file that cannot be read (truncated,
edited by hand, from a future version) is moved aside as ``*.damaged`` with one warning and
the bot starts with an empty memory: losing follow-up context is a small cost, not starting
is not.

python-telegram-bot's PicklePersistence would do the saving, but a damaged pickle makes
``Application.initialize`` raise, i.e. stops the start, and a pickle ties the file to the
classes' layout; a small JSON file read here fails soft and survives code changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

FILE_NAME = "memory.json"
FORMAT = 1


def state_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load_state(path: Path) -> dict[str, Any]:
    """The saved memory, or {} when there is none or it is damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        log.warning("Could not read the saved memory (%s); starting without it", e)
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not this bot's memory file")
    except ValueError as e:
        aside = path.with_name(path.name + ".damaged")
        try:
            path.replace(aside)
            where = f"moved to {aside.name}"
        except OSError:
            where = "left in place"
        log.warning("The saved memory is damaged (%s, %s); starting without it", e, where)
        return {}
    return data


def save_state(path: Path, data: dict[str, Any]) -> None:
    """Writes ``data`` atomically; raises OSError when the folder is not writable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"format": FORMAT, **data}, ensure_ascii=False).encode("utf-8")
    fd, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Remembering(Protocol):
    """What is saved: ``bot.handlers.ChatHandlers``' memory."""

    @property
    def memory_version(self) -> object: ...

    def memory_snapshot(self) -> dict[str, Any]: ...

    def restore_memory(self, data: dict[str, Any]) -> None: ...


SAVE_SECONDS = 2.0


class MemorySaver:
    """Loads the memory at start-up, writes it every ``every`` seconds when it changed and
    once more when the bot stops. Writing happens in a worker thread: a slow disk must not
    hold up answers."""

    def __init__(self, memory: Remembering, path: Path, every: float = SAVE_SECONDS) -> None:
        self._memory = memory
        self._path = path
        self._every = every
        self._saved: object = None
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def load(self) -> None:
        self._memory.restore_memory(load_state(self._path))
        self._saved = self._memory.memory_version

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._keep_saving())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.save()

    async def save(self) -> None:
        version = self._memory.memory_version
        if version == self._saved:
            return
        snapshot = self._memory.memory_snapshot()
        try:
            await asyncio.to_thread(save_state, self._path, snapshot)
        except OSError as e:
            if not self._failing:
                log.warning("Could not save the bot's memory to %s: %s", self._path, e)
            self._failing = True
            return
        self._failing = False
        self._saved = version

    async def _keep_saving(self) -> None:
        while True:
            await asyncio.sleep(self._every)
            await self.save()
