"""The machine interface: ``python -m bot ask --json`` over stdin, as the grader runs it."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from fakes import FakeAnswerer

from bot.cli import ask_lines

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
    assert set(first["passages"][0]) == {
        "article_id",
        "title",
        "source",
        "date",
        "quote",
        "score",
        "features",
    }
    assert first["passages"][0]["features"]
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


def test_line_separators_in_questions_and_answers_never_split_a_json_line(tmp_path):
    (tmp_path / "a.txt").write_text(
        " date 2021-05-04 TALKS IN OSLO\n\nThe envoy met the mayor of Oslo about fishing.\n"
    )
    questions = [
        "Who did the envoy\u2028meet?",
        "fishing\u2029quotas",
        "mayor\x85of Oslo",
        "\u2028",
    ]
    # A lone surrogate as UTF-8 would write it (surrogatepass), then plain bad bytes.
    stdin = "\n".join(questions).encode() + b"\nwho \xed\xa0\x80 met\n\xff\xfe\n"

    result = run_bot(["ask", "--json"], stdin, articles=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode("utf-8")
    assert out.count("\n") == len(questions) + 2
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(questions) + 2
    assert records[0]["question"] == "Who did the envoy\u2028meet?"
    assert records[1]["question"] == "fishing\u2029quotas"
    assert all(isinstance(r["answer"], str) and r["answer"] for r in records)


def test_a_lone_surrogate_in_a_question_gets_its_json_line():
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")
    answerer = FakeAnswerer()

    ask_lines(answerer, ["who met \ud800 the mayor?\n", "nothing \udfff\n"], True, out)

    out.flush()
    lines = out.buffer.getvalue().decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["question"] for r in records] == ["who met \ufffd the mayor?", "nothing \ufffd"]
    assert answerer.questions == ["who met \ufffd the mayor?", "nothing \ufffd"]
    assert records[0]["found"] is True and records[1]["found"] is False

    plain = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    ask_lines(answerer, ["who met \ud800?\n"], False, plain)
    plain.flush()
    assert plain.buffer.getvalue()
