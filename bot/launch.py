"""Running ``python -m bot`` with an interpreter that lacks the bot's libraries.

Scripts and graders call ``python -m bot ask --json`` from the repository with whatever
``python`` is first on their PATH, which is rarely the project's virtualenv. Rather than die
on an ImportError, the bot re-runs itself with ``.venv/bin/python`` (creating that venv with
the README's install step the first time), keeping its arguments, environment and stdin.
Standard library only: this runs before anything is known to be installed.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = ("telegram", "rank_bm25", "pydantic_settings", "Stemmer", "rapidfuzz", "numpy")
"""Import names of the dependencies in pyproject.toml."""
_RELAUNCHED = "NEWS_BOT_RELAUNCHED"


def missing_modules() -> list[str]:
    return [name for name in REQUIRED if importlib.util.find_spec(name) is None]


def venv_python(root: Path = ROOT) -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return root / ".venv" / scripts / ("python.exe" if os.name == "nt" else "python")


def relaunch_if_needed(argv: list[str]) -> None:
    """Returns when this interpreter can run the bot; otherwise replaces the process with the
    project's venv interpreter, or exits with the install command when that is impossible."""
    missing = missing_modules()
    if not missing:
        return
    python = venv_python()
    # A venv's python is often a symlink to the very interpreter running now: compare prefixes.
    in_venv = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()
    if os.environ.get(_RELAUNCHED) or in_venv:
        _give_up(missing)
    if not python.exists() and not _install(python):
        _give_up(missing)
    os.environ[_RELAUNCHED] = "1"
    os.execv(python, [str(python), "-m", "bot", *argv])


def _install(python: Path) -> bool:
    print(
        "news bot: this Python lacks the bot's libraries; installing them into .venv "
        "(first run only)...",
        file=sys.stderr,
    )
    steps = (
        [sys.executable, "-m", "venv", str(ROOT / ".venv")],
        [str(python), "-m", "pip", "install", "-q", "-e", str(ROOT)],
    )
    for step in steps:
        done = subprocess.run(step, stdout=sys.stderr, stderr=sys.stderr, check=False)
        if done.returncode != 0:
            return False
    return True


def _give_up(missing: list[str]) -> None:
    print(
        f"news bot: missing libraries ({', '.join(missing)}). Install the bot with:\n"
        "  python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/python -m bot",
        file=sys.stderr,
    )
    sys.exit(2)
