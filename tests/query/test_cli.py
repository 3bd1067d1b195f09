"""``mltrl-docs query`` (mltrl_docs/cli.py): a site's answer in text, JSON and CSV, and a bad query's
findings located in the query, exit code 1, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import run_cli
from mltrl_docs.resources import load_schema

from .support import small_dossier


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small dossier as a site, built as of 2025-01-01, without the built-in glossary."""
    root = tmp_path_factory.mktemp("query-cli")
    small_dossier(root)
    (root / "mltrl-docs.yml").write_text("sources: [d]\nbuild_date: 2025-01-01\nbuiltin_glossary: false\n",
                                         encoding="utf-8")
    return root


def test_text(site: Path) -> None:
    result = run_cli("query", "requirements sort by risk desc show id, kind, status, risk, verified, owners, text",
                     cwd=site)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "id   kind      status       risk  verified  owners      text\n"
        "---  --------  -----------  ----  --------  ----------  -----------------------------------------\n"
        "1    research  verified       12  true      Ada Okafor  Recall shall be at least 0.9.\n"
        "1.1  research  waived          2  false     Ada Okafor  Latency shall be low.\n"
        "2    product   not-started     -  false     Ada Okafor  =Alerts shall reach the on-call engineer.\n"
        "3    research  verified        -  false     Ada Okafor  F1 shall reach 0.7.\n"
        "4 of 4 rows\n")
    assert result.stderr == ""


def test_text_grouped_with_a_path(site: Path, tmp_path: Path) -> None:
    for path in (str(site), str(site / "mltrl-docs.yml")):
        result = run_cli("query", "requirements group by status limit 2", path, cwd=tmp_path)
        assert result.exit_code == 0, result.output
        assert result.stdout == ("status       count\n"
                                 "-----------  -----\n"
                                 "verified         2\n"
                                 "not-started      1\n"
                                 "2 of 3 groups, 4 rows\n")


def test_json_validates_against_its_schema(site: Path) -> None:
    result = run_cli("query", "findings where severity = error", "--format", "json", cwd=site)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    Draft202012Validator(load_schema("query-output")).validate(data)
    assert data["rows"] == [{"severity": "error", "file": "d/c/L1.md", "line": 7, "rule": "schema",
                             "message": "'approvedd' is not a valid status"}]
    assert (data["query"], data["entity"], data["matched"]) == ("findings where severity = error", "findings", 1)


def test_csv_is_rfc_4180_with_the_formula_guard(site: Path) -> None:
    result = run_cli("query", "requirements show id, text, owners, risk", "--format", "csv", cwd=site)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode() == ("id,text,owners,risk\r\n"
                             "1,Recall shall be at least 0.9.,Ada Okafor,12\r\n"
                             "2,'=Alerts shall reach the on-call engineer.,Ada Okafor,\r\n"
                             "1.1,Latency shall be low.,Ada Okafor,2\r\n"
                             "3,F1 shall reach 0.7.,Ada Okafor,\r\n")
    grouped = run_cli("query", "projects group by owners", "--format", "csv", cwd=site)
    assert grouped.stdout_bytes.decode() == "owners,count\r\nAda Okafor,2\r\nBo Li,1\r\n,1\r\n"


def test_a_bad_query_prints_its_findings_and_exits_1(site: Path) -> None:
    result = run_cli("query", "requirements where riks >= 12 and\nstatus = verifed", "--format", "json", cwd=site)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "<query>:1:20: error: requirements have no field 'riks' [query-field]\n"
        "    hint: did you mean 'risk'?\n"
        "<query>:2:10: error: 'verifed' is not a status of requirements [query-value]\n"
        "    hint: did you mean 'verified'? status takes: not-started, in-progress, verified, failed, waived\n")


@pytest.mark.parametrize("text", ["", "projects where (", "projects where " + "(" * 3000, "x" * 5000,
                                  "projects where title = '\\", "projects where level > " + "9" * 5000])
def test_no_query_ends_in_a_traceback(site: Path, text: str) -> None:
    result = run_cli("query", text, cwd=site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("<query>:1:") and "[query-" in result.stderr


def test_without_a_site_it_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("query", "projects", cwd=tmp_path)
    assert result.exit_code == 2 and "give a PATH" in result.output
    missing = run_cli("query", "projects", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.exit_code == 2 and "does not exist" in missing.output
