"""Settings for the bot, read once at start-up and passed to whatever needs them."""

from config.settings import Settings

__all__ = ["Settings"]
