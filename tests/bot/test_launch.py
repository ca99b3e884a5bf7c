"""``python -m bot`` run by an interpreter outside the project's venv, as scripts do."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.launch import REQUIRED, missing_modules, venv_python

ROOT = Path(__file__).parents[2]


def base_python() -> str:
    """The interpreter this venv was made from: it normally lacks the bot's libraries."""
    name = "python.exe" if os.name == "nt" else "python3"
    folder = Path(sys.base_prefix) / ("" if os.name == "nt" else "bin")
    candidate = folder / name
    return str(candidate) if candidate.exists() else sys.executable


def test_the_test_interpreter_has_every_library():
    assert missing_modules() == []
    assert "rapidfuzz" in REQUIRED


def test_the_venv_interpreter_is_the_projects():
    assert venv_python(ROOT).parent.parent == ROOT / ".venv"


def test_a_python_without_the_libraries_still_answers_through_the_venv():
    environment = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [base_python(), "-m", "bot", "ask", "--json"],
        input=b"Who did Jin Pyo Kim meet?\n",
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr.decode()
    [record] = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["found"] is True
    assert "Gafarova" in record["answer"]
