"""`python -m charl_ls`: the same as the `charl-ls` command."""

import sys

from charl_ls.server import main

sys.exit(main())
