"""Bundles: a repository's part of a dossier site in one JSON file, written by its CI
(``mltrl-docs bundle``) and imported by a portal's settings (``bundles:``), which builds one site
from local sources and bundles with no clone (issue 15). ``model`` declares the format's
constants and what an import gives; ``write`` makes a bundle of a checked dossier; ``locate``
finds the files the settings list; ``read`` checks and unpacks them; ``site`` builds the dossier
of local sources and bundles together."""
