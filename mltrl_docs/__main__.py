"""``python -m mltrl_docs`` runs the CLI."""

from mltrl_docs.cli import main

main()
