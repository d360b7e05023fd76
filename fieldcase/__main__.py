"""Run the command line as ``python -m fieldcase``."""

from fieldcase.cli import main

main()
