"""The gate policy's rules, each declared once, in the order gates.md lists them.

The settings parser (``settings``), the settings schema and the documentation table
(``reference``) and the tests all derive from ``RULES``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from mltrl_docs.findings import Severity
from mltrl_docs.gates import content, ethics, evidence, exits, history, options, reviews, suspect
from mltrl_docs.gates.rule import Rule, Scope

DEFAULT_SECTIONS: Mapping[int, tuple[str, ...]] = MappingProxyType({
    0: ("TL;DR", "Model / algorithm info"),
    2: ("Data considerations",),
    3: ("Testing status",),
    4: ("Intended use", "Caveats, known edge cases, recommendations"),
})
"""Headings expected from each level on (gates.md); a setting replaces the table."""

DEFAULT_VERSIONS: Mapping[str, int | None] = MappingProxyType({"code": 3, "model": 4, "data": 4})
DEFAULT_EMBEDDED: frozenset[tuple[int, int]] = frozenset({(4, 2), (9, 4)})
DEFAULT_ROLES: Mapping[int, tuple[str, ...]] = MappingProxyType({7: ("qa", "product")})
FIRST_PRINCIPLES: tuple[str, ...] = ("Hypotheses", "Research plan", "Data readiness")
STALE_DAYS = 365
"""Days a current card may stand unchanged (``stale``). Chosen from the example dossier: its
projects left a level 98 to 315 days after entering it (median 189), twice 399 and 525 days,
and level 9 stood 917 days; a year unchanged is past every stay but the two longest, and at
the example's build date (2026-12-01) flags only neuropath's level-6 card, dated 442 days
before, whose project has not moved since (by its date: git knows it changed since)."""


def _exit(level: int) -> options.Option:
    return options.level("level", "The level whose card is checked when the project leaves it", level)


RULES: tuple[Rule, ...] = (
    Rule(
        "review", Scope.CARD, reviews.review,
        "An approved card has a reviewer whose decision is approved, none who rejected or requested "
        "changes, and no owner among its reviewers.",
        "Every level ends with a gated review: designated reviewers graduate the technology or send it "
        "back with a list of remaining tasks.",
        "on", reading=True,
    ),
    Rule(
        "review-roles", Scope.CARD, reviews.review_roles,
        "An approved card's review has an approving reviewer in each role its level asks for "
        "(the table's entry for the level, or the nearest lower one).",
        "Reviewers change as the technology matures: the research lead at level 0, AI peers through "
        "R&D, QA engineers and product managers by level 7.",
        "qa and product from level 7", reading=True,
        options=(options.level_table("table", "Roles whose approval each level needs, from that level on "
                                     "until the next entry (default: 7: [qa, product]).", DEFAULT_ROLES,
                                     "a reviewer role"),),
    ),
    Rule(
        "research-requirements", Scope.LEVEL, content.research_requirements,
        "The card lists at least one research requirement.",
        "Levels 2 to 4 are driven by formal research requirements with verification and validation; "
        "research and product requirements overlap at level 5.",
        "levels 2 to 5", reading=True,
        options=(options.level("from", "The first level that needs research requirements", 2),
                 options.optional_level("to", "The last level that needs them", 5)),
    ),
    Rule(
        "product-requirements", Scope.LEVEL, content.product_requirements,
        "The card lists at least one product requirement.",
        "From level 5 requirements and V&V are product-driven; product managers own the work after level 5.",
        "from level 5", reading=True,
        options=(options.level("from", "The first level that needs product requirements", 5),
                 options.optional_level("to", "The last level that needs them", None)),
    ),
    Rule(
        "leave-first-principles", Scope.EXIT, exits.leave_first_principles,
        "The level-0 card a project leaves has its hypotheses, research plan and data-readiness "
        "findings written, each in a section with text.",
        "Graduating from level 0 takes written principles and hypotheses, data-readiness findings and a "
        "research plan, judged by the research lead.",
        "leaving level 0", exit_level="level",
        options=(_exit(0), options.names("sections", "The sections that must have text", FIRST_PRINCIPLES)),
    ),
    Rule(
        "leave-research", Scope.EXIT, exits.leave_research,
        "The card a project advances from at level 4 has every research requirement verified or waived.",
        "Research requirements drive levels 2 to 4; the proof of concept closes them before the ML capability.",
        "leaving level 4", reading=True, exit_level="level", options=(_exit(4),),
    ),
    Rule(
        "leave-capability", Scope.EXIT, exits.leave_capability,
        "The level-5 card a project leaves links a demo, example scripts or an API, and lists product "
        "requirements, each risk-scored.",
        "Leaving level 5 is meant to be hard (the valley of death): the working group gets demos, example "
        "scripts or an API, and the review produces the product requirements.",
        "leaving level 5", exit_level="level",
        options=(_exit(5), options.names("links", "The link names that count as something to run",
                                         ("demo", "examples", "api"))),
    ),
    Rule(
        "leave-integrations", Scope.EXIT, exits.leave_integrations,
        "The level-7 card a project leaves names the data slices its tests ran on (datasets with "
        "slices, or a 'Data slices' section with text).",
        "Integration adds tests for critical scenarios and for data slices specific to the use case.",
        "leaving level 7", exit_level="level", options=(_exit(7),),
    ),
    Rule(
        "leave-product", Scope.EXIT, exits.leave_product,
        "The card a project advances from at level 8 has every product requirement verified or waived.",
        "Level 8 is the end of system development; the paper's level-8 card is judged on product requirements.",
        "leaving level 8", reading=True, exit_level="level", options=(_exit(8),),
    ),
    Rule(
        "leave-flight-ready", Scope.EXIT, exits.leave_flight_ready,
        "The level-8 card a project leaves names its deployment tests (shadow, canary, A/B or blue/green) "
        "and links a product datasheet.",
        "Flight-ready adds deployment-oriented tests (A/B, blue/green, shadow, canary); the paper's "
        "level-8 card has the ethics checklist complete and a product datasheet expected.",
        "leaving level 8", exit_level="level",
        options=(_exit(8), options.names("links", "The link names that count as the datasheet",
                                         ("datasheet",))),
    ),
    Rule(
        "waiver-reason", Scope.CARD, reviews.waiver_reason,
        "A waived requirement carries a reason.",
        "The gated review decides what is de-scoped; the stage debrief asks what was punted.",
        "on", reading=True,
    ),
    Rule(
        "evidence-contradicts", Scope.CARD, evidence.evidence_contradicts,
        "A requirement declared verified meets every acceptance criterion its evidence files are checked "
        "against (card format 1.2); one that misses one does not count as verified, for the earned level or "
        "in any count.",
        "Requirements are verified and validated against their evidence, and the gated review judges that "
        "evidence: a claim the evidence contradicts cannot stand.",
        "on", reading=True,
    ),
    Rule(
        "evidence-passes", Scope.CARD, evidence.evidence_passes,
        "A requirement declared failed whose evidence now meets every acceptance criterion is pointed out.",
        "Work goes on after a requirement fails (a switchback, a fix); the next review records what now "
        "passes.",
        "on", severity=Severity.INFO, reading=True,
    ),
    Rule(
        "evidence-unreadable", Scope.CARD, evidence.evidence_unreadable,
        "Every acceptance criterion can be judged: its evidence file is read (JUnit XML, JSON, CSV or a "
        "plug-in's type), its selector names a value or tests, and the value is a number.",
        "Verification rests on evidence a reviewer can check; evidence that cannot be read verifies nothing.",
        "on", reading=True,
    ),
    Rule(
        "suspect-evidence", Scope.PROJECT, suspect.suspect_evidence,
        "The evidence of the project's standing approval (its latest card whose approval holds) is what was "
        "approved: each acceptance file still has the sha256 recorded at approval (card format 1.2), and, "
        "where git's history is read, no cited evidence file changed after the commit of the approving "
        "decision.",
        "The gated review judges the evidence as it stood; evidence that changed afterwards has not been "
        "reviewed.",
        "on", reading=True,
    ),
    Rule(
        "risk-scored", Scope.LEVEL, content.risk_scored,
        "Every product requirement has a risk (likelihood x impact).",
        "Requirements documents carry risk calculations: a risk score for every technical and product "
        "requirement, with explicit mitigation steps.",
        "from level 5", reading=True,
        options=(options.level("from", "The first level that needs the risk", 5),),
    ),
    Rule(
        "high-risk-open", Scope.LEVEL, content.high_risk_open,
        "No requirement with a high risk score is not-started or failed.",
        "Risk matrices steer the work; by integration, the highest risks are being worked on.",
        "from level 7, score 15", reading=True,
        options=(options.level("from", "The first level the rule applies at", 7),
                 options.number("score", "The risk score (likelihood x impact, 1 to 25) from which a "
                                "requirement counts as high risk", 15, 1, 25)),
    ),
    Rule(
        "ethics-pre", Scope.LEVEL, content.ethics_pre,
        "ethics.pre_development is started (not not-started) from level 1, and complete or not-applicable "
        "from level 5.",
        "The pre-development checklist is answered for every new project, and the answers decide whether "
        "to take it on; the paper's level-4 card has it in progress.",
        "started from 1, complete from 5", reading=True,
        options=(options.optional_level("started", "The first level that needs the checklist under way", 1),
                 options.level("from", "The first level that needs it complete or not-applicable", 5)),
    ),
    Rule(
        "ethics-post", Scope.LEVEL, content.ethics_post,
        "ethics.post_development is complete or not-applicable.",
        "The post-development checklist is answered once development is finished; the paper's level-8 "
        "card has it completed.",
        "from level 8", reading=True,
        options=(options.level("from", "The first level the rule applies at", 8),),
    ),
    Rule(
        "ethics-answers", Scope.CARD, ethics.ethics_answers,
        "When the card's ethics checklist is a page following the shipped template, a part the card "
        "calls complete has every question of that part answered.",
        "The ethics checklist is answered per project: the pre-development questions at intake, the "
        "post-development questions when development is done.",
        "on", reading=True,
    ),
    Rule(
        "versions", Scope.LEVEL, content.versions,
        "The named versions are present and are semantic versions.",
        "Cards carry semantic versions of code, models and data.",
        "code from 3, model and data from 4", reading=True,
        options=tuple(options.optional_level(key, f"The first level that needs versions.{key}", start)
                      for key, start in DEFAULT_VERSIONS.items()),
    ),
    Rule(
        "sections", Scope.LEVEL, content.sections,
        "The body has the headings the level needs (see the sections table).",
        "The card template's sections: TL;DR, model info, intended use, testing status, data "
        "considerations, caveats, stage debrief.",
        "see the sections table", reading=True,
        options=(options.level_table("table", "Headings each level needs, from that level on; replaces "
                                     "the whole table.", DEFAULT_SECTIONS, "a heading"),),
    ),
    Rule(
        "monitoring", Scope.LEVEL, content.monitoring,
        "The card says how the version in production is monitored: metrics with alert thresholds and "
        "drift checks (a monitoring block, or a 'Monitoring' section with text).",
        "Level 9 monitors the current version and improves the next: monitoring tests, hidden performance "
        "degradation, drift and shift.",
        "from level 9",
        options=(options.level("from", "The first level that needs monitoring", 9),),
    ),
    Rule(
        "debrief", Scope.PROJECT, history.debrief,
        "Every card that a project has left has a stage debrief that answers its questions.",
        "Each gated review debriefs the process: what was accomplished and by whom, punted, learned, "
        "tech debt gained or mitigated.",
        "on",
    ),
    Rule(
        "switchback-known", Scope.PROJECT, history.switchback_known,
        "A switchback goes to a level the project has held before.",
        "Switching back into a level the team never went through is an anti-pattern: the team may not "
        "be equipped for that work.",
        "on",
    ),
    Rule(
        "embedded-switchback", Scope.PROJECT, history.embedded_switchback,
        "A switchback of kind embedded is one MLTRL predefines.",
        "Embedded switchbacks are built into the process: 4 to 2 and 9 to 4.",
        "4 to 2, 9 to 4",
        options=(options.pairs("pairs", "The (from, to) level pairs of the embedded switchbacks "
                               "(default [[4, 2], [9, 4]]).", DEFAULT_EMBEDDED),),
    ),
    Rule(
        "coupled-readiness", Scope.PROJECT, history.coupled_readiness,
        "Where a coupled project earns less, the system's readiness (the lowest earned level, "
        "transitively, with the declared figure beside it) is shown and the limiting project named.",
        "An ML system's readiness is the lowest readiness of any of its parts.",
        "on", severity=Severity.INFO, reading=True,
    ),
    Rule(
        "stale", Scope.PROJECT, history.stale,
        "The current card has changed within the set number of days: since its last commit where git's "
        "history is read, else since its date.",
        "A card is a living document, updated until its level is left.",
        "365 days", severity=Severity.INFO, reading=True,
        options=(options.number("days", "Days a current card may stand unchanged at its level (default 365, "
                                "chosen from the example: see the rule's section)", STALE_DAYS, 1),),
    ),
)
"""Every gate rule, in the order gates.md lists them."""

BY_NAME: Mapping[str, Rule] = MappingProxyType({rule.name: rule for rule in RULES})
