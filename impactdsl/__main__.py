"""`python -m impactdsl` runs the command line."""

import sys

from impactdsl.cli import main

sys.exit(main())
