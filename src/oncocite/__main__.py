"""`python -m oncocite` runs the CLI."""

from oncocite.cli import main

main()
