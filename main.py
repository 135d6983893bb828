"""Entry point: ``python main.py`` opens the GUI on the demo plant; subcommands do headless work.

``python main.py --help`` lists them; it is the same program as the ``commandcenter`` command.
"""

import sys

from commandcenter.launcher import main

if __name__ == "__main__":
    sys.exit(main())
