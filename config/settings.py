"""The one settings model: environment variables (and an optional ``.env``) win over defaults."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    log_level: str = Field(default="INFO", description="Python logging level name.")

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
