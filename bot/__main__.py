"""``python -m bot``: the libraries checked first, then the command line, with settings that
cannot be used reported in one line (and exit code 2) rather than as a traceback."""

import sys

from bot.launch import relaunch_if_needed

relaunch_if_needed(sys.argv[1:])

from pydantic import ValidationError  # noqa: E402  (only importable once the libraries are known present)

from bot.cli import main  # noqa: E402

EXIT_BAD_SETTINGS = 2


def _settings_problems(error: ValidationError) -> str:
    """Which settings are wrong and why, never their values: one of them may be the token."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']).upper() or 'settings'}: {problem['msg']}"
        for problem in error.errors(include_input=False, include_url=False)
    )


try:
    code = main()
except ValidationError as e:
    print(f"news bot: invalid settings: {_settings_problems(e)}", file=sys.stderr)
    code = EXIT_BAD_SETTINGS
sys.exit(code)
