"""``python -m mltrl_docs`` runs the CLI."""

from mltrl_docs.cli import main

if __name__ == "__main__":  # guarded: worker processes import this module too
    main()
