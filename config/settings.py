"""The one settings model: environment variables (and an optional ``.env``) win over defaults."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

IdSet = Annotated[frozenset[int], NoDecode]
"""Telegram ids written as "1001, -2002" (commas or spaces), not as JSON."""
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    """Everything an operator can change without touching code.

    The token is a ``SecretStr`` so that printing or logging the settings never shows it.
    """

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None,
        description="Bot token from @BotFather; without it the bot runs a console chat.",
    )
    telegram_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL in python-telegram-bot's form; the token is appended.",
    )
    telegram_timeout_seconds: float = Field(
        default=15.0,
        gt=0,
        description="How long one Bot API call may take (long polls get their poll time on top).",
    )
    telegram_retry_first_seconds: float = Field(
        default=1.0,
        gt=0,
        description="First pause before retrying Telegram; each further pause doubles.",
    )
    telegram_retry_max_seconds: float = Field(
        default=30.0, gt=0, description="Longest pause between retries of Telegram."
    )
    telegram_send_attempts: int = Field(
        default=4, ge=1, description="Tries for each reply when Telegram fails transiently."
    )
    articles_dir: Path = Field(default=Path("seeds"), description="Folder of *.txt articles.")
    cache_dir: Path = Field(
        default=Path(".cache/news-bot"), description="Where the search index is kept between runs."
    )
    max_article_bytes: int = Field(
        default=5_000_000, gt=0, description="Bigger files are skipped as not being articles."
    )
    max_question_chars: int = Field(
        default=500, gt=0, description="Longer questions are answered from their first part."
    )
    reload_seconds: float = Field(
        default=10.0, ge=0, description="How often to look for changed articles; 0 turns it off."
    )
    full_check_seconds: float = Field(
        default=300.0,
        ge=0,
        description=(
            "How often the watcher also compares the articles' contents, for edits that keep "
            "a file's size and modification time; 0 turns it off."
        ),
    )
    rebuild_in_child: bool = Field(
        default=True,
        description=(
            "Rebuild a changed folder's index in a child process, so answers keep their pace "
            "and the build's memory is handed back when it ends."
        ),
    )
    log_level: str = Field(default="INFO", description="Python logging level name.")
    data_dir: Path = Field(
        default=Path(".data/news-bot"),
        description="Where buttons' answers and follow-up context are kept across restarts.",
    )
    answers_kept: int = Field(
        default=2000, ge=1, description="How many answers' buttons keep working (the latest)."
    )
    answers_kept_hours: float = Field(
        default=48.0, gt=0, description="How long an answer's buttons keep working."
    )
    follow_up_minutes: float = Field(
        default=10.0,
        ge=0,
        description="How long a question's people stay the context of follow-ups; 0: never.",
    )
    typing_after_seconds: float = Field(
        default=0.3,
        ge=0,
        description="Show 'typing…' only when an answer takes longer than this.",
    )
    questions_per_minute: int = Field(
        default=20, ge=0, description="Questions one user may ask per minute; 0: no limit."
    )
    allowed_user_ids: IdSet = Field(
        default=frozenset(), description="Users who may use the bot; empty (and no chats): all."
    )
    allowed_chat_ids: IdSet = Field(
        default=frozenset(), description="Chats whose members may use the bot."
    )
    admin_user_ids: IdSet = Field(
        default=frozenset(), description="Users who may run /stats and /reload."
    )
    webhook_url: str | None = Field(
        default=None,
        description="Public HTTPS URL Telegram posts updates to; unset: long polling.",
    )
    webhook_listen: str = Field(
        default="127.0.0.1", description="Address the webhook server listens on."
    )
    webhook_port: int = Field(
        default=8443, ge=1, le=65535, description="Port the webhook server listens on."
    )
    webhook_secret_token: SecretStr | None = Field(
        default=None,
        repr=False,
        description=(
            "Secret Telegram sends with every webhook update (A-Z a-z 0-9 _ -, up to 256); "
            "unset: a random one per start."
        ),
    )

    @field_validator("allowed_user_ids", "allowed_chat_ids", "admin_user_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[\s,;]+", value) if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError(
                    "must be Telegram ids (whole numbers) separated by commas"
                ) from None
        return value

    @field_validator("webhook_url", "webhook_secret_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("webhook_url")
    @classmethod
    def _usable_webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("must be an https:// URL such as https://bot.example.com/telegram")
        return value

    @field_validator("webhook_secret_token")
    @classmethod
    def _usable_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("may hold only A-Z, a-z, 0-9, _ and -, at most 256 characters")
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        """An empty ``TELEGRAM_BOT_TOKEN=`` line in .env means "no token", not an invalid one."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("telegram_base_url")
    @classmethod
    def _usable_base_url(cls, value: str) -> str:
        """A URL httpx cannot use would otherwise surface at the first request as a network
        error, and be retried forever instead of reported."""
        try:
            parts = urlsplit(value)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            parts, port_ok = None, False
        if (
            parts is None
            or not port_ok
            or parts.scheme not in {"http", "https"}
            or not parts.hostname
            or parts.query
            or parts.fragment
            or any(ch.isspace() for ch in value)
        ):
            raise ValueError(
                "must be an http:// or https:// URL with a host and no query, "
                "such as https://api.telegram.org/bot"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return level
