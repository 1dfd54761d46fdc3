"""Run the command line: ``python -m journeys``."""

import sys

from journeys.cli import main

sys.exit(main())
