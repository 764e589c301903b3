import sys

from signoff.cli import main

sys.exit(main())
