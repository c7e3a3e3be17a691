"""`python -m blogcli` runs the same entry point as the `blog` script."""

from blogcli.entry import main

raise SystemExit(main())
