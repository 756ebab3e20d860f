"""``python -m bot.cli``: the same as the installed ``vhbot`` script."""

import sys

from bot.cli import main

sys.exit(main())
