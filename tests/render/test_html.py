"""The Jinja environment: what every printed value goes through."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Template
from markupsafe import Markup

from mltrl_docs.dossier import build_dossier
from mltrl_docs.messages import english, messages_for
from mltrl_docs.render.html import Renderer, isolate_bidi, on_page
from mltrl_docs.render.pages import site_pages


def test_a_value_with_a_bidi_override_is_isolated() -> None:
    assert isolate_bidi("evil\u202e txt.exe") == "\u2068evil\u202e txt.exe\u2069"
    assert isolate_bidi("plain") == "plain" and isolate_bidi(7) == 7
    assert isolate_bidi(Markup("<b>\u202e</b>")) == Markup("<b>\u202e</b>")


def test_an_override_in_a_title_cannot_reorder_the_page_words_after_it(write_card, tmp_path: Path) -> None:
    write_card("src/p/L2.md", project="H1", title="Monitor \u202eevil")
    dossier = build_dossier([tmp_path / "src"])
    page = next(p for p in site_pages(dossier) if p.uri == "dossier/H1/L2-2024-03-01.md")
    html = Renderer("dossier").render(page, lambda uri: uri, {})
    assert "\u2068Monitor \u202eevil\u2069" in html


def _card_pages(write_card, tmp_path: Path) -> list:
    """Two card pages of one project: the second shows its change from the first (an approved card)."""
    write_card("src/p/L1.md", project="H1", level=1, date="2024-01-01", status="approved")
    write_card("src/p/L2.md", project="H1", level=2, date="2024-03-01", title="Monitor \u202eevil")
    dossier = build_dossier([tmp_path / "src"])
    return [page for page in site_pages(dossier) if page.template == "card.html"]


def test_macro_modules_are_evaluated_once_not_on_every_page(write_card, tmp_path: Path, monkeypatch) -> None:
    """``_macros.html`` and ``_changes.html`` are imported without the page's context, so Jinja keeps
    the module it evaluated: an import "with context" evaluated it again on every page (a seventh
    of a card page's rendering). What their macros need of the page comes from ``url``/``file_url``."""
    made: list[str] = []
    make_module = Template.make_module

    def counted(self: Template, *args: object, **kwargs: object) -> object:
        made.append(self.name or "")
        return make_module(self, *args, **kwargs)

    monkeypatch.setattr(Template, "make_module", counted)
    renderer = Renderer("dossier")
    pages = _card_pages(write_card, tmp_path)
    for _ in range(3):
        for page in pages:
            assert 'href="dossier/H1/index.md"' in renderer.render(page, lambda uri: uri, {})
    assert made.count("_macros.html") == 1 and made.count("_changes.html") == 1


def test_a_kept_renderer_s_macros_follow_its_new_globals(write_card, tmp_path: Path) -> None:
    """``mkdocs serve`` keeps the renderer between builds: a new language, or a new way of naming
    files, reaches the macros of the modules it keeps (they are evaluated again, not compiled again)."""
    renderer = Renderer("dossier")
    page = _card_pages(write_card, tmp_path)[1]
    english_page = renderer.render(page, lambda uri: uri, {})
    assert english().text("level.2.name") in english_page  # said by level_badge, a macro of _macros.html
    renderer.use_messages(messages_for("de"))
    german_page = renderer.render(page, lambda uri: uri, {})
    assert messages_for("de").text("level.2.name") in german_page
    assert english().text("level.2.name") not in german_page


def test_outside_a_page_a_link_is_an_error_not_a_guess() -> None:
    """``url`` links from the page being rendered; a template rendered outside ``Renderer.render``
    (or ``on_page``) has none, and says so rather than linking from somewhere else."""
    template = Renderer("dossier").env.from_string("{{ url('dossier/index.md') }}")
    with pytest.raises(LookupError):
        template.render()
    with on_page(lambda uri: "../" + uri, {}):
        assert template.render() == "../dossier/index.md"


def test_linked_writes_what_a_page_link_call_block_writes() -> None:
    """``linked(uri, value)`` is ``{% call page_link(uri) %}{{ value }}{% endcall %}`` without a
    call block: the value escaped (and a bidi override isolated) as any printed value is, linked
    from the page being rendered, or left as text when the site has no such page."""
    env = Renderer("dossier").env
    fast = env.from_string("{{ linked(uri, text) }}")
    block = env.from_string('{% from "_macros.html" import page_link %}'
                            "{% call page_link(uri) %}{{ text }}{% endcall %}")
    pages = {"dossier/P1/index.md": '../P1/"x"/'}
    for uri in ("dossier/P1/index.md", "dossier/gone.md"):
        for text in ("P1 <b>&</b>", "evil \u202e gpj.exe", Markup("<em>L2</em>")):
            with on_page(pages.get, {}):
                assert fast.render(uri=uri, text=text) == block.render(uri=uri, text=text)
    with on_page(pages.get, {}):
        assert fast.render(uri="dossier/P1/index.md", text="P1 <b>") == '<a href="../P1/&#34;x&#34;/">P1 &lt;b&gt;</a>'
        assert fast.render(uri="dossier/gone.md", text="P1") == "P1"


def test_a_shared_macro_is_made_once_per_build_and_language() -> None:
    """``shared(day_time, day)`` makes a day's markup once for every page of a build; a new build
    (its stamp) or a new language makes it again, in that language."""
    import datetime as dt

    renderer = Renderer("dossier")
    made: list[object] = []
    template = renderer.env.from_string('{% from "_macros.html" import day_time %}{{ shared(day_time, day) }}')
    module = renderer.env.get_template("_macros.html").module
    day_time = module.day_time  # type: ignore[attr-defined]

    def counted(*args: object) -> object:
        made.append(args)
        return day_time(*args)

    day = dt.date(2024, 3, 5)
    first = renderer.env.globals["shared"](counted, day)
    assert renderer.env.globals["shared"](counted, day) == first and len(made) == 1
    assert first == f'<time class="mltrl-nowrap" datetime="2024-03-05">{english().date(day)}</time>'
    renderer.stamp(None)
    renderer.env.globals["shared"](counted, day)
    assert len(made) == 2
    renderer.use_messages(messages_for("de"))
    assert messages_for("de").date(day) in template.render(day=day)


def test_labels_are_said_once_per_enum_and_messages_with_values_every_time() -> None:
    """``t`` and ``value_label`` keep what they said without values (a site says its labels and
    statuses some 170,000 times per 1,000 cards). A card status and a review decision can share a
    value ("approved") and still be said differently; a message with values is said anew."""
    from mltrl_docs.messages import Messages
    from mltrl_docs.model import CardStatus, Decision

    table = {**english().table, "value.card_status.approved": "status: approved",
             "value.decision.approved": "decision: approved"}
    renderer = Renderer("dossier")
    renderer.use_messages(Messages("en", table))
    t, label = renderer.env.globals["t"], renderer.env.globals["value_label"]
    assert CardStatus.APPROVED == Decision.APPROVED  # equal as strings
    assert [label(Decision.APPROVED), label(CardStatus.APPROVED), label(Decision.APPROVED)] == [
        "decision: approved", "status: approved", "decision: approved"]
    assert label(None) == "" and isinstance(label(CardStatus.DRAFT), Markup)
    assert t("card.project") is t("card.project")
    assert t("card.earned.below", earned=2) != t("card.earned.below", earned=3)
    assert "&lt;b&gt;" in t("card.earned.below", earned="<b>")
    renderer.use_messages(messages_for("de"))
    assert renderer.env.globals["t"]("card.project") == messages_for("de").text("card.project")
