"""Render a Dossier into site pages: HTML fragments from autoescaped Jinja templates.

Host-agnostic: the MkDocs plugin asks for the pages, then gives each a ``url_for``
that turns a page URI into a link relative to the page being rendered.
"""
