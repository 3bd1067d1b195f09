"""The Content Security Policy of a built site (mltrl_docs.csp) and `mltrl-docs csp`.

The browser tests (test_browser.py) serve the example site with this policy and check
that every page works under it; these check how the policy is made.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mltrl_docs import csp
from mltrl_docs.cli import main


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directive(policy: str, name: str) -> list[str]:
    """The sources of one directive of ``policy``."""
    found = [part.split()[1:] for part in policy.split("; ") if part.split()[0] == name]
    assert len(found) == 1, f"{name} appears {len(found)} times in {policy}"
    return found[0]


@pytest.fixture
def pages(tmp_path: Path):
    """pages({'a/index.html': '<html>...'}) -> a site folder holding them."""

    def _pages(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / "site" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return tmp_path / "site"

    return _pages


def test_inline_scripts_are_allowed_by_hash_and_data_blocks_and_external_scripts_are_not(pages) -> None:
    site = pages({
        "index.html": '<script>__md_scope=new URL(".",location)</script><script src="a.js"></script>'
                      '<script id="__config" type="application/json">{"base": "."}</script>',
        "x/index.html": '<script>__md_scope=new URL("..",location)</script>'
                        '<script type="module">import "./m.js"</script>',
        "x/again.html": '<script>__md_scope=new URL("..",location)</script>',
    })
    policy = csp.policy(site)
    assert directive(policy, "script-src") == ["'self'", *sorted([
        sha('__md_scope=new URL(".",location)'), sha('__md_scope=new URL("..",location)'),
        sha('import "./m.js"')])]
    assert directive(policy, "style-src") == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy and "'unsafe-hashes'" not in policy


def test_hash_is_of_the_text_the_browser_sees(pages) -> None:
    """CR LF becomes LF before the browser hashes a script; entities are not decoded in it."""
    site = pages({"index.html": "<script>a = 1;\r\nb = '&amp;';\r</script>"})
    assert directive(csp.policy(site), "script-src") == ["'self'", sha("a = 1;\nb = '&amp;';\n")]


def test_inline_styles_and_handlers_need_unsafe_hashes_and_are_reported(pages) -> None:
    site = pages({"404.html": '<style>p{color:red}</style><th style="width: 20%;">Keys</th>'
                              '<button onclick="go()">x</button><a href=" JavaScript:alert(1)">y</a>'})
    inline = csp.scan(site)
    assert inline.javascript_urls == ["404.html"]
    policy = csp.policy(site)
    assert directive(policy, "style-src") == ["'self'", "'unsafe-hashes'", *sorted([sha("p{color:red}"),
                                                                                      sha("width: 20%;")])]
    assert directive(policy, "script-src") == ["'self'", "'unsafe-hashes'", sha("go()")]


def test_images_from_listed_hosts_join_img_src(pages) -> None:
    site = pages({"index.html": '<img src="https://Images.Example.internal:8443/a.png" alt="a">'
                                '<img src="../local.png" alt="b"><img src="data:image/png;base64,AA" alt="c">'})
    assert directive(csp.policy(site), "img-src") == ["'self'", "data:", "https://images.example.internal:8443"]


def test_the_policy_is_the_same_for_the_same_site(pages) -> None:
    files = {f"p{i}/index.html": f"<script>var depth = {i};</script>" for i in range(20)}
    assert csp.policy(pages(files)) == csp.policy(pages(dict(reversed(files.items()))))


@pytest.fixture(scope="module")
def example(example_site: Path) -> Path:
    """The example, built once per session (conftest)."""
    return example_site


@pytest.mark.slow
def test_example_policy_is_strict_and_covers_every_inline_script(example: Path) -> None:
    policy = csp.policy(example)
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "blob:", "*", "http:", "https:"):
        assert loose not in policy.split(), loose
    assert directive(policy, "default-src") == ["'none'"] and directive(policy, "object-src") == ["'none'"]
    assert directive(policy, "style-src") == ["'self'"]
    inline = csp.scan(example)
    assert inline.styles == {} and inline.style_attributes == {} and inline.handlers == {}
    assert inline.javascript_urls == []
    hashes = directive(policy, "script-src")[1:]
    # Material's inline scripts differ with page depth: a handful, not one per page.
    assert set(hashes) == set(inline.scripts) and 1 <= len(hashes) <= 12


@pytest.mark.slow
@pytest.mark.parametrize("output_format,start", [
    ("header", "Content-Security-Policy: default-src 'none'; script-src 'self' 'sha256-"),
    ("nginx", "add_header Content-Security-Policy \"default-src 'none'; "),
    ("apache", "Header always set Content-Security-Policy \"default-src 'none'; "),
    ("meta", "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "),
])
def test_cli_prints_the_policy_in_each_format(example: Path, output_format: str, start: str) -> None:
    result = CliRunner().invoke(main, ["csp", str(example), "--format", output_format], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(start) and result.stdout.count("\n") == 1
    assert csp.policy(example) in result.stdout or output_format == "meta"
    assert ("frame-ancestors" in result.stdout) == (output_format != "meta")
    assert result.stderr == ""


def test_cli_formats_are_the_core_formats() -> None:
    command = main.commands["csp"]
    [option] = [p for p in command.params if p.name == "output_format"]
    assert isinstance(option.type, click.Choice) and tuple(option.type.choices) == csp.FORMATS


def test_cli_refuses_a_folder_without_pages(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["csp", str(tmp_path)])
    assert result.exit_code == 2 and "build the site first" in result.stderr


def test_cli_notes_what_needs_unsafe_hashes(pages) -> None:
    site = pages({"404.html": '<th style="width: 20%;">Keys</th>'})
    result = CliRunner().invoke(main, ["csp", str(site)])
    assert result.exit_code == 0 and "'unsafe-hashes'" in result.stdout
    assert "404.html" in result.stderr


def test_inline_code_inside_generated_content_is_never_allowed(pages) -> None:
    """The policy is the second wall: were a card's markup ever to slip through the escaping,
    the hash of what it wrote must not be in the policy (the theme's own code outside is)."""
    site = pages({"index.html": "<script>theme()</script><!--mltrl-content--><div class=\"mltrl\">"
                                "<script>alert(1)</script><img src=x onerror=\"alert(2)\"><p style=\"x\">t</p>"
                                "</div><!--/mltrl-content--><script>after()</script>"})
    inline = csp.scan(site)
    assert sorted(inline.refused) == ["index.html: <img onerror=...>", "index.html: <p style=...>",
                                      "index.html: <script>"]
    policy = csp.policy(site)
    assert directive(policy, "script-src") == ["'self'", *sorted([sha("theme()"), sha("after()")])]
    assert directive(policy, "style-src") == ["'self'"]
