"""`python -m pos.cli`: the `till` command."""

import sys

from pos.cli import main

if __name__ == "__main__":
    sys.exit(main())
