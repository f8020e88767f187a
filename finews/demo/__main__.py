"""``python -m finews.demo FOLDER`` writes the demo site into FOLDER."""

import sys

from finews.demo.build import build_command
from finews.demo.demo_data import demo_site_spec

if __name__ == "__main__":
    sys.exit(build_command(demo_site_spec(), prog="python -m finews.demo"))
