"""Fixtures: small real card files written into tmp_path; MkDocs builds in the test process
(``run_mkdocs``) and the example site built once per session (``example_site``); the built wheel
in a fresh virtual environment (``wheel_venv``); one Chromium per session (``browser``)."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import site
import subprocess
import sys
import sysconfig
import textwrap
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from mltrl_docs.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent

# --- hypothesis profiles (docs/fuzzing.md) ---------------------------------------------
# "ci", the default: derandomized (the same examples on every run, so CI is never flaky),
# no example database, a fixed budget: every property runs max_examples times its own
# share (tests/fuzz_strategies.py: budget), about 60 s for all of them on 2 cores.
# "long": 20,000 examples (times each share), random, failures kept in .hypothesis/ and
# replayed first next time. Pick it with MLTRL_FUZZ=long or --hypothesis-profile=long;
# MLTRL_FUZZ_EXAMPLES=N replaces the profile's max_examples.
settings.register_profile(
    "ci", max_examples=100, derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=20_000, derandomize=False, deadline=None, print_blob=True,
    database=DirectoryBasedExampleDatabase(str(REPO / ".hypothesis" / "examples")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_profile = os.environ.get("MLTRL_FUZZ") or "ci"
if os.environ.get("MLTRL_FUZZ_EXAMPLES"):
    # Scale a profile for a run of a given length: MLTRL_FUZZ=long MLTRL_FUZZ_EXAMPLES=2000.
    settings.register_profile(f"{_profile}-scaled", settings.get_profile(_profile),
                              max_examples=int(os.environ["MLTRL_FUZZ_EXAMPLES"]))
    _profile = f"{_profile}-scaled"
settings.load_profile(_profile)

BODY = """
**TL;DR**: A monitor that warns when search traffic drifts.

## Model / algorithm info

Population stability index over 40 query features.
"""


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """``mltrl-docs ARGS`` in-process, from ``cwd`` (default: where the test runs)."""
    previous = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(previous)


def card_text(body: str = BODY, **fields: Any) -> str:
    """A card file: defaults for every required field, overridden by ``fields``
    (a value of None removes the field)."""
    data: dict[str, Any] = {
        "mltrl": 1,
        "project": "C1",
        "title": "Drift monitor",
        "level": 2,
        "date": "2024-03-01",
        "status": "approved",
        "owners": ["Ada Okafor"],
        "reviewers": [{"name": "Lin Chen", "decision": "approved", "date": "2024-03-05"}],
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


@pytest.fixture(autouse=True)
def _collector_unfrozen() -> Iterator[None]:
    """A serve rebuild run in this process freezes what is alive (gcpause.settle) until the server
    shuts down, which a test's rebuilds never do: thaw it, so one test's objects are not kept for all."""
    yield
    import gc

    gc.unfreeze()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write('p/card.md', text) -> the absolute path, parents created."""

    def _write(relative: str, content: str | bytes) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def write_card(write: Callable[..., Path]) -> Callable[..., Path]:
    """write_card('p/L2.md', level=2, ...) using card_text()."""

    def _write_card(relative: str, body: str = BODY, **fields: Any) -> Path:
        return write(relative, card_text(body, **fields))

    return _write_card


# --- MkDocs builds in the test process ------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """What ``mkdocs build`` leaves a caller, shaped like ``subprocess.run``'s result: the exit code,
    and what it printed (MkDocs' log lines, "ERROR    -  ...", on stderr)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


class _LogLines(logging.Formatter):
    """MkDocs' ColorFormatter as it prints into a pipe: no colour, no wrapping."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  " + super().format(record)


def run_mkdocs(config: Path, site_dir: Path | None = None, *, strict: bool | None = None, quiet: bool = False,
               cwd: Path | None = None) -> Built:
    """``mkdocs build [-f config] [-d site_dir] [--strict] [-q]`` run in this process, from ``cwd`` (default:
    where the tests run), as MkDocs' command line runs it (mkdocs/__main__.py): its logging ("mkdocs" at INFO,
    ERROR when quiet, and nothing else), its warning filters, fresh plugin instances (load_config makes them),
    on_startup/on_shutdown, and its exits: a MkDocs error is exit code 1 and its message where the command
    prints it (``Abort``: "Aborted with ..." on stdout; any other: "Error: ..." on stderr), any other
    exception its traceback on stderr. ``strict=None`` leaves mkdocs.yml's ``strict:`` as it is, as leaving out
    ``--strict`` does. The "mkdocs" logger, the warning filters and the working directory are restored."""
    from mkdocs import exceptions, utils
    from mkdocs.__main__ import _showwarning
    from mkdocs.commands import build
    from mkdocs.config import load_config

    args = ["mkdocs", "build", "-f", str(config), *(["-d", str(site_dir)] if site_dir else []),
            *(["--strict"] if strict else ["--no-strict"] if strict is False else []), *(["-q"] if quiet else [])]
    stdout, stderr = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(stderr)
    handler.setFormatter(_LogLines())
    logger = logging.getLogger("mkdocs")
    saved = (logger.level, logger.propagate, logger.handlers[:], logger.disabled)
    logger.setLevel(logging.ERROR if quiet else logging.INFO)
    logger.propagate, logger.handlers, logger.disabled = False, [handler], False
    duplicates = utils.DuplicateFilter()  # the command's (_enable_warnings), one per build: it remembers
    build.log.addFilter(duplicates)
    try:
        with warnings.catch_warnings(), chdir(cwd or Path.cwd()):
            # The interpreter's default filters, and the command's: deprecations once per module, logged as INFO.
            warnings.resetwarnings()
            for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning):
                warnings.simplefilter("ignore", category)
            warnings.simplefilter("module", DeprecationWarning)
            warnings.showwarning = _showwarning
            try:
                loaded = load_config(config_file=str(config), site_dir=str(site_dir) if site_dir else None,
                                     strict=strict)
                loaded.plugins.on_startup(command="build", dirty=False)
                try:
                    build.build(loaded, dirty=False)
                finally:
                    loaded.plugins.on_shutdown()
                returncode = 0
            except exceptions.Abort as error:
                stdout.write("\n" + error.format_message() + "\n")
                returncode = error.exit_code
            except exceptions.MkDocsException as error:
                stderr.write(f"Error: {error.format_message()}\n")
                returncode = error.exit_code
            except Exception:
                stderr.write(traceback.format_exc())
                returncode = 1
    finally:
        build.log.removeFilter(duplicates)
        logger.level, logger.propagate, logger.handlers, logger.disabled = saved
    return Built(args, returncode, stdout.getvalue(), stderr.getvalue())


def _fingerprint(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repository's example (mkdocs.yml, strict) built once per session, in this process. Shared by
    every test that only reads it: a test that changes a site builds or copies its own. Checked at the
    end of the session: no file of it was changed, added or removed."""
    out = tmp_path_factory.mktemp("example-site")
    result = run_mkdocs(REPO / "mkdocs.yml", out, strict=True)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-500:]
    before = _fingerprint(out)
    yield out
    assert _fingerprint(out) == before, "a test changed the shared example site (copy it instead)"


# --- the browser tests' shared fixtures (browser_support.py holds the machinery) ---------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session (browser_support.chromium), closed at its end.
    Where Playwright or Chromium is missing, a test that asks for it is skipped (browser_support.needs_browser
    skips the browser modules before), or fails under MLTRL_REQUIRE_BROWSER=1, as .ci/run sets it.
    While it is open, Playwright's event loop counts as this thread's running loop between its calls:
    a test in the same session cannot call asyncio.run()."""
    from browser_support import MISSING, REQUIRED, chromium

    if MISSING:
        if REQUIRED:
            pytest.fail("MLTRL_REQUIRE_BROWSER=1 but Playwright or /usr/bin/chromium is missing", pytrace=False)
        pytest.skip("needs Playwright and Debian's chromium")
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def example_policy(example_site: Path) -> str:
    """The Content Security Policy `mltrl-docs csp` computes for the example."""
    from mltrl_docs import csp

    return csp.policy(example_site)


@pytest.fixture(scope="session")
def served_example(example_site: Path, example_policy: str) -> Iterator[Any]:
    """The example, served under its policy (browser_support.serve: a browser_support.Site)."""
    from browser_support import csp_headers, serve

    with serve(example_site, csp_headers(example_policy)) as served:
        yield served


@pytest.fixture(scope="session")
def mkdocs_theme_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built with MkDocs' own theme (browser_support.MKDOCS_THEME), once per session."""
    from browser_support import MKDOCS_THEME, example_with_theme

    return example_with_theme(tmp_path_factory.mktemp("mkdocs-theme"), dict(MKDOCS_THEME))


# --- the built wheel, installed in a fresh virtual environment ----------------------------------------


@dataclass(frozen=True)
class WheelVenv:
    """This checkout built as a wheel (``python -m build --wheel --no-isolation``) and installed, alone, in a
    fresh virtual environment whose dependencies come from this interpreter (no network)."""

    wheel: Path
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def env(self) -> dict[str, str]:
        """The environment of a command run as a user of the venv would run it: its bin/ first on PATH."""
        return {**os.environ, "PATH": str(self.bin) + os.pathsep + os.environ.get("PATH", ""),
                "VIRTUAL_ENV": str(self.venv), "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> WheelVenv:
    """The wheel and its venv, made once per session (test_packaging.py, the README's quickstart). The venv
    gets the ``mkdocs`` command pip would write for MkDocs' console script: MkDocs itself comes from this
    interpreter's packages (``see_outer_packages``), whose scripts are not the venv's."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(root / "dist"),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    [wheel] = (root / "dist").glob("mltrl_docs-*.whl")
    installed = WheelVenv(wheel, root / "venv")
    subprocess.run([sys.executable, "-m", "venv", str(installed.venv)], check=True, timeout=300)
    see_outer_packages(installed.python)
    subprocess.run([str(installed.python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    mkdocs = installed.bin / "mkdocs"
    mkdocs.write_text(f"#!{installed.python}\nimport sys\nfrom mkdocs.__main__ import cli\n"
                      "if __name__ == '__main__':\n    sys.exit(cli())\n", encoding="utf-8")
    mkdocs.chmod(0o755)
    return installed


def see_outer_packages(python: Path) -> None:
    """Let the venv of ``python`` import the packages this interpreter has (no network needed
    for the wheel's dependencies), behind its own site-packages, where the wheel goes.

    ``venv --system-site-packages`` would not do: run from a virtual environment, it gives
    the *base* interpreter's packages, not the ones installed in that environment. A
    ``.pth`` file naming this interpreter's package folders works from both. Folders only,
    not ``site.addsitedir``: the ``.pth`` files in them (such as the editable install of
    this checkout) are not run, so mltrl_docs can only come from the wheel."""
    folders = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages(),
               *(entry for entry in sys.path if Path(entry).name in ("site-packages", "dist-packages"))]
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    unique = [folder for index, folder in enumerate(folders) if folder not in folders[:index] and os.path.isdir(folder)]
    inner = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           check=True, capture_output=True, text=True, timeout=120).stdout.strip()
    Path(inner, "outer-packages.pth").write_text("".join(folder + "\n" for folder in unique), encoding="utf-8")
