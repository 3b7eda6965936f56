"""Allow ``python -m site_gen.importer FILE...``."""

import sys

from . import main

sys.exit(main())
