"""Reviewer roles (card format 1.1): who reviews a level, in MLTRL's words.

MLTRL names who reviews when: the research lead at level 0, AI peers through R&D,
QA engineers and product managers by level 7. A site may add its own roles
(``roles:`` in mltrl-docs.yml); a role a card names must be one of these or the site's.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

BUILTIN_ROLES: Mapping[str, str] = MappingProxyType({
    "research-lead": "The research lead or manager, who judges level 0's hypotheses.",
    "peer": "An AI or ML peer: the usual reviewer through the R&D levels.",
    "qa": "A QA engineer: reviews from integration (level 7) on.",
    "product": "A product manager: owns the work after level 5 and reviews from level 7 on.",
    "ethics": "A member of the ethics council or board that owns the ethics checklist.",
    "security": "A security engineer: data, attack and abuse vectors.",
})
"""Role id -> who that is."""


def known_roles(site: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """The built-in roles and the site's own (the site's description wins)."""
    return MappingProxyType({**BUILTIN_ROLES, **(site or {})})
