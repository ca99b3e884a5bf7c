"""The conversation side: answer building, templates, the Telegram handlers and the command line."""
