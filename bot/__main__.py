import sys

from bot.launch import relaunch_if_needed

relaunch_if_needed(sys.argv[1:])

from bot.cli import main  # noqa: E402  (only importable once the libraries are known present)

sys.exit(main())
