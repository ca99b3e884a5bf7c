"""What the articles folder looks like from its directory listing, without reading a file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FolderState:
    """What the folder looks like from its directory listing: cheap enough to poll."""

    files: tuple[tuple[str, int, int], ...]
    """(name, size, modification time in ns) of each ``*.txt`` file."""


def folder_state(folder: Path) -> FolderState:
    files = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return FolderState(())
    for entry in entries:
        if not entry.name.endswith(".txt"):
            continue
        try:
            if entry.is_file():
                stat = entry.stat()
                files.append((entry.name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue
    return FolderState(tuple(sorted(files)))
