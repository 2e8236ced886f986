#!/usr/bin/env python3
"""Release check: every published story is in the built site exactly where it belongs,
and nothing unpublished leaked. Same as `frontline verify`; exits 1 on any finding.

    python scripts/verify_site.py [--config mkdocs.yml] [--site-dir site] [--now 2021-08-20T09:00]
"""

import sys

from frontline.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    config = []
    if "--config" in args:
        index = args.index("--config")
        config = args[index : index + 2]
        del args[index : index + 2]
    sys.exit(main([*config, "verify", *args]))
