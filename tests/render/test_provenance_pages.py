"""Provenance on pages (issue 12), from real git repositories: a card page says who created and last
changed the card and lists its commits; beside each reviewer's decision (card page, the dossier's gated
reviews, the review packet's summary) the commit that recorded it, flagged in words when someone other
than the reviewer recorded it; a shallow clone says what it cannot see; outside git nothing is shown."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest

from htmltext import INLINE
from mltrl_docs.dossier import CheckedDossier, build_dossier
from mltrl_docs.messages import messages_for
from mltrl_docs.provenance import provenance
from mltrl_docs.render.contexts import CardContext, DossierContext, PacketContext
from mltrl_docs.render.html import Renderer
from mltrl_docs.render.pages import SitePage, site_pages
from provenance.support import Repo, needs_git, reviewers

MONDAY = "2024-03-04T09:00:00+01:00"
TUESDAY = "2024-03-05T10:00:00+00:00"
WEDNESDAY = "2024-03-06T11:00:00+00:00"
CARD = "dossiers/p/L2.md"
EVE = 'Eve "Mal" & Co'
SUBJECT = "<script>alert(1)</script> & <b>approve</b>"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never a repository above tmp_path
    return Repo(tmp_path / "repo")


def history(repo: Repo) -> dict[str, str]:
    """A card created by Ada, retitled by Ben; Lin records her own approval, Eve records Sam's."""
    shas = {}
    repo.card(CARD, status="in-review", reviewers=reviewers(("Lin Chen", "pending"), ("Sam Roe", "pending")))
    shas["created"] = repo.commit("Add the level-2 card", who="Ada Okafor", when=MONDAY)
    repo.card(CARD, status="in-review", title="Drift monitor v2",
              reviewers=reviewers(("Lin Chen", "approved"), ("Sam Roe", "pending")))
    shas["lin"] = repo.commit("Approve", who="Lin Chen", when=TUESDAY)
    repo.card(CARD, status="approved", title="Drift monitor v2",
              reviewers=reviewers(("Lin Chen", "approved"), ("Sam Roe", "approved")))
    shas["eve"] = repo.commit(SUBJECT, who=EVE, mail="eve@example.org", when=WEDNESDAY)
    return shas


def checked(source: Path) -> CheckedDossier:
    found = build_dossier([source])
    return replace(found, provenance=provenance(found.dossier))


def pages_of(dossier: CheckedDossier) -> dict[str, SitePage]:
    return {page.uri: page for page in site_pages(dossier, "dossier", messages=messages_for("en"))}


def render(page: SitePage) -> str:
    return Renderer("dossier").render(page, lambda uri: uri, {})


def text(markup: str) -> str:
    spaced = re.sub(r"</?(\w+)[^>]*>", lambda m: "" if m.group(1) in INLINE | {"time"} else " ", markup)
    return " ".join(html.unescape(spaced).split())


def card_page(pages: dict[str, SitePage]) -> SitePage:
    return next(page for page in pages.values() if isinstance(page.context, CardContext))


def row(markup: str, label: str) -> str:
    """The text of the summary table's row ``label``."""
    found = re.search(rf"<tr><th>{re.escape(label)}</th><td>(.*?)</td></tr>", markup, re.DOTALL)
    assert found is not None, label
    return text(found.group(1))


@needs_git
def test_the_card_page_says_who_created_and_changed_it_and_lists_its_commits(repo: Repo) -> None:
    shas = history(repo)
    pages = pages_of(checked(repo.root / "dossiers"))
    page = card_page(pages)
    assert isinstance(page.context, CardContext) and page.context.history is not None
    assert [c.sha for c in page.context.history.shown] == [shas["eve"], shas["lin"], shas["created"]]
    assert page.context.history.more == 0
    markup = render(page)
    said = row(markup, "History in git")
    assert said.startswith(f"created 2024-03-04 by Ada Okafor · last changed 2024-03-06 by {EVE} "
                           f"({shas['eve'][:7]}) · 3 commits Commits that changed this card ")
    assert said.endswith(f"{shas['eve'][:7]} 2024-03-06 {EVE}: {SUBJECT} "
                         f"{shas['lin'][:7]} 2024-03-05 Lin Chen: Approve "
                         f"{shas['created'][:7]} 2024-03-04 Ada Okafor: Add the level-2 card")
    assert '<details class="mltrl-commits">' in markup  # collapsed: no "open"
    assert '<time class="mltrl-nowrap" datetime="2024-03-04">2024-03-04</time>' in markup  # the author's day
    # Untrusted text is escaped; a hash is text, never a link.
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;approve" in markup
    assert "Eve &#34;Mal&#34; &amp; Co" in markup
    assert not re.search(r"<a [^>]*>[^<]*" + shas["eve"][:7], markup)


@needs_git
def test_a_decision_recorded_by_someone_else_is_flagged_where_decisions_are_shown(repo: Repo) -> None:
    shas = history(repo)
    pages = pages_of(checked(repo.root / "dossiers"))
    lin, eve = shas["lin"][:7], shas["eve"][:7]
    card = render(card_page(pages))
    reviewers_row = row(card, "Reviewers")
    assert f"Lin Chen: approved (2024-03-05) recorded in {lin} by Lin Chen" in reviewers_row
    assert f"Sam Roe: approved (2024-03-05) ⚑ recorded by {EVE} ({eve})" in reviewers_row
    # The flag is a symbol and words, and says why in its title; colour only repeats it.
    assert re.search(r'<span class="mltrl-recorded-other" title="The commit that wrote this decision is by '
                     r'Eve &#34;Mal&#34; &amp; Co, not by the reviewer Sam Roe">'
                     r'<span aria-hidden="true">&#9873;</span> recorded by', card)
    dossier_page, packet_page = pages["dossier/C1/index.md"], pages["dossier/C1/packet.md"]
    assert isinstance(dossier_page.context, DossierContext) and isinstance(packet_page.context, PacketContext)
    reviews = render(dossier_page).split('id="gated-reviews"')[1].split("</table>")[0]
    assert "<th>Recorded in git</th>" in reviews
    lines = [text(line) for line in re.findall(r"<tr>(.*?)</tr>", reviews, re.DOTALL)]
    assert lines[0] == "Card Reviewer Role Decision Asked Decided Recorded in git Approval"
    assert f"Lin Chen approved 2024-03-05 recorded in {lin} by Lin Chen" in lines[1]
    assert lines[2] == f"Sam Roe approved 2024-03-05 ⚑ recorded by {EVE} ({eve})"
    packet = render(packet_page)
    assert packet_page.context.histories == {} and "Last change" not in packet  # what the gate needs, on paper
    assert f"⚑ recorded by {EVE} ({eve})" in row(packet, "Reviewer(s)")
    assert f"recorded in {lin} by Lin Chen" in row(packet, "Reviewer(s)")
    # The level history says each card's last change.
    level_history = render(dossier_page).split('id="level-history"')[1].split("</table>")[0]
    assert "<th>Last change</th>" in level_history and f"2024-03-06, {EVE}" in text(level_history)


@needs_git
def test_a_decision_not_committed_yet_says_so(repo: Repo) -> None:
    history(repo)
    repo.card(CARD, status="approved", title="Drift monitor v2",
              reviewers=reviewers(("Lin Chen", "approved"), ("Sam Roe", "changes-requested")))
    pages = pages_of(checked(repo.root / "dossiers"))
    card = render(card_page(pages))
    assert "Sam Roe: changes-requested (2024-03-05) not committed yet" in row(card, "Reviewers")
    assert "changed locally, not committed yet" in row(card, "History in git")


@needs_git
def test_a_shallow_clone_says_from_when_its_history_is_missing(repo: Repo, tmp_path: Path) -> None:
    shas = history(repo)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone), cwd=tmp_path)
    pages = pages_of(checked(clone / "dossiers"))
    page = card_page(pages)
    assert isinstance(page.context, CardContext) and page.context.history is not None
    assert page.context.history.file.shallow and page.context.history.file.created is None
    said = row(render(page), "History in git")
    assert said.startswith(f"last changed 2024-03-06 by {EVE} ({shas['eve'][:7]}) · 1 commit · "
                           "history before 2024-03-05 is not in this clone Commits that changed this card")
    reviewers_row = row(render(page), "Reviewers")
    # Lin's line is as old as the clone's history: where it stops, not necessarily who wrote it.
    assert f"Lin Chen: approved (2024-03-05) recorded in {shas['lin'][:7]} or earlier (older history is not in " \
           "this clone)" in reviewers_row
    assert f"⚑ recorded by {EVE} ({shas['eve'][:7]})" in reviewers_row


@needs_git
def test_a_card_never_committed_says_so(repo: Repo) -> None:
    history(repo)
    repo.card("dossiers/p/L3.md", level=3, date="2024-06-01", transition={"from": 2, "kind": "advance"},
              reviewers=reviewers(("Lin Chen", "pending")))
    pages = pages_of(checked(repo.root / "dossiers"))
    page = pages["dossier/C1/L3-2024-06-01.md"]
    markup = render(page)
    assert row(markup, "History in git") == "not committed yet"
    assert row(markup, "Reviewers") == "Lin Chen: pending (2024-03-05) not committed yet"


def test_outside_git_nothing_is_shown_and_nothing_fails(write_card, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    write_card("src/p/L2.md", reviewers=reviewers(("Lin Chen", "approved")))
    found = checked(tmp_path / "src")
    assert found.provenance.histories == {} and found.provenance.findings == ()
    pages = pages_of(found)
    card = card_page(pages)
    assert isinstance(card.context, CardContext) and card.context.history is None
    assert card.context.decisions == (None,)
    for page in (card, pages["dossier/C1/index.md"], pages["dossier/C1/packet.md"]):
        markup = render(page)
        assert "History in git" not in markup and "Recorded in git" not in markup and "Last change" not in markup
        assert not re.search(r"recorded (in|by)|committed", text(markup))
