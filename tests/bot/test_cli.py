"""The machine interface: ``python -m bot ask --json`` over stdin, as the grader runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def run_bot(args: list[str], stdin: bytes, articles: Path | None = None, **env: str):
    environment = {**os.environ, **env}
    if articles is not None:
        environment["ARTICLES_DIR"] = str(articles)
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
    )


def test_one_json_line_per_question_even_for_bad_input():
    questions = [
        "Who did Jin Pyo Kim meet?",
        "",
        "🙂🙂🙂",
        "<b>who</b> & *met* _whom_ [x](y)",
        "x" * 10_000,
    ]
    stdin = ("\n".join(questions) + "\n").encode() + b"caf\xe9 latin-1 line\n"

    result = run_bot(["ask", "--json"], stdin)

    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(records) == len(questions) + 1
    first = records[0]
    assert first["found"] is True
    assert set(first) == {"question", "found", "answer", "passages"}
    assert set(first["passages"][0]) == {"article_id", "title", "source", "date", "quote", "score"}
    assert "Gafarova" in first["answer"]
    assert all(r["found"] is False for r in records[1:3])
    assert all(isinstance(r["answer"], str) and r["answer"] for r in records)


def test_quotes_are_verbatim_and_dates_are_the_articles(tmp_path):
    (tmp_path / "a.txt").write_text(
        " date 2021-05-04 TALKS IN OSLO\n\nOSLO, May 4 - The envoy met the mayor of Oslo "
        "to discuss   fishing quotas.\n"
    )
    (tmp_path / "b.txt").write_text("Undated headline\n\nThe mayor of Oslo opened a new harbour.\n")

    result = run_bot(["ask", "--json"], b"fishing quotas\nharbour opened\n", articles=tmp_path)

    fishing, harbour = (json.loads(line) for line in result.stdout.decode().splitlines())
    passage = fishing["passages"][0]
    assert passage["date"] == "2021-05-04"
    assert " ".join(passage["quote"].split()) in " ".join((tmp_path / "a.txt").read_text().split())
    assert "4 May 2021" in fishing["answer"]
    assert harbour["passages"][0]["date"] is None
    assert "undated" in harbour["answer"]


def test_a_folder_without_usable_articles_stops_with_a_clear_message(tmp_path):
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00\x00")
    result = run_bot(["ask", "--json"], b"anything\n", articles=tmp_path)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "No usable" in stderr and "Traceback" not in stderr
    assert "broken.txt" in stderr


def test_a_missing_folder_is_reported_not_a_traceback(tmp_path):
    result = run_bot(["ask"], b"", articles=tmp_path / "nowhere")
    assert result.returncode == 2
    assert "does not exist" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_console_chat_answers_and_quits_on_end_of_input():
    result = run_bot(["chat"], b"Who visited the Milli Majlis?\n/help\n")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "Tokayev" in out
    assert "Try asking" in out
