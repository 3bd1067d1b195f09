"""Import bundles: read each file the settings list, check it (JSON, version, schema, every path,
every file's size and hash) and unpack what passes into a folder of its own, where the portal
reads it as it reads a local source.

Nothing in a bundle is trusted. A path that could leave its folder (absolute, ``..``, a drive,
a backslash) is an error and never read or written; each file is written with ``O_EXCL`` into
folders this import made, so nothing outside them is touched. A bad entry is reported at the
bundle file and its JSON path (``cards[3].path``) and left out; a bad bundle is reported and
left out; either way the rest of the site is built.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mltrl_docs.bundle.model import (
    BUNDLE_VERSION,
    READ_VERSIONS,
    RULE,
    SCHEMA_NAME,
    ImportedBundle,
    Imports,
    path_problem,
    unpacked,
)
from mltrl_docs.findings import Finding, Position, Severity, error
from mltrl_docs.provenance import Commit, DecisionRecord, FileHistory, ProvenanceReport
from mltrl_docs.provenance.report import Repository as GitRepository
from mltrl_docs.repositories import Repository
from mltrl_docs.resources import load_schema
from mltrl_docs.settings import Limits

MAX_SCHEMA_ERRORS = 20
"""Schema errors reported per bundle at most (the rest are counted in one line)."""
_FILE_LISTS = ("cards", "pages", "files")


def import_bundles(files: Sequence[Path], workdir: Path, limits: Limits) -> Imports:
    """Every bundle of ``files`` that can be read, unpacked under ``workdir`` (one folder each),
    and what was wrong with any of them."""
    bundles: list[ImportedBundle] = []
    findings: list[Finding] = []
    for index, file in enumerate(files):
        data, found = read_bundle(file, limits)
        findings += found
        if data is not None:
            bundle, found = unpack(file, data, workdir / str(index), limits)
            findings += found
            bundles.append(bundle)
    return Imports(tuple(bundles), tuple(findings))


def read_bundle(file: Path, limits: Limits) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The bundle's data, checked against its schema, with the entries that fail it left out;
    None (with findings) when the file cannot be used at all."""
    try:
        size = file.stat().st_size
        if size > limits.bundle_bytes:
            return None, [error(RULE, f"bundle is {size:,} bytes; the limit is {limits.bundle_bytes:,} "
                                "(limits.bundle_bytes); not read", file,
                                hint="raise limits.bundle_bytes in mltrl-docs.yml, or bundle fewer files")]
        data = file.read_bytes()
    except OSError as exc:
        return None, [error(RULE, f"cannot read bundle: {exc.strerror or exc}", file,
                            hint="check the file's path and permissions")]
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        return None, [error(RULE, f"bundle is not UTF-8 text (byte {exc.start + 1})", file,
                            hint="a bundle is the JSON file 'mltrl-docs bundle' writes")]
    except json.JSONDecodeError as exc:
        return None, [error(RULE, f"bundle is not valid JSON: {exc.msg}", file, Position(exc.lineno, exc.colno),
                            hint="a bundle is the JSON file 'mltrl-docs bundle' writes; write it again")]
    except (ValueError, RecursionError) as exc:
        return None, [error(RULE, f"bundle is not valid JSON: {exc}", file,
                            hint="a bundle is the JSON file 'mltrl-docs bundle' writes; write it again")]
    readable = ", ".join(map(str, READ_VERSIONS))
    if not isinstance(value, dict) or "bundle_version" not in value:
        return None, [error(RULE, "not a bundle: it has no bundle_version", file, field="bundle_version",
                            hint=f"this mltrl-docs reads bundle_version {readable}; make the bundle with "
                                 "'mltrl-docs bundle'")]
    version = value["bundle_version"]
    if isinstance(version, bool) or version not in READ_VERSIONS:
        return None, [error(RULE, f"bundle_version {json.dumps(version)[:40]} is not one this mltrl-docs reads "
                            f"(it reads {readable})", file, field="bundle_version",
                            hint=f"make the bundle with an mltrl-docs that writes bundle_version {BUNDLE_VERSION}, "
                                 "or upgrade mltrl-docs here")]
    return _schema_checked(file, value)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _schema_checked(file: Path, value: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Finding]]:
    from jsonschema import Draft202012Validator  # here: a site without bundles never loads jsonschema (~3 MiB)

    errors = sorted(Draft202012Validator(load_schema(SCHEMA_NAME)).iter_errors(value),
                    key=lambda e: [str(p) for p in e.absolute_path])
    findings: list[Finding] = []
    dropped: dict[str, set[int]] = {name: set() for name in _FILE_LISTS}
    whole = False
    for number, problem in enumerate(errors):
        where = tuple(problem.absolute_path)
        if number < MAX_SCHEMA_ERRORS:
            findings.append(error(RULE, f"bundle does not follow its schema: {_short(problem.message)}", file,
                                  field=json_path(where) or None,
                                  hint="make the bundle with 'mltrl-docs bundle' (schema/bundle.schema.json)"))
        if len(where) >= 2 and where[0] in _FILE_LISTS and isinstance(where[1], int):
            dropped[str(where[0])].add(where[1])
        else:
            whole = True
    if len(errors) > MAX_SCHEMA_ERRORS:
        findings.append(error(RULE, f"{len(errors) - MAX_SCHEMA_ERRORS} more schema errors in this bundle", file))
    if whole:
        findings.append(error(RULE, "bundle left out: its errors are not in one card, page or file", file,
                              hint="make the bundle with 'mltrl-docs bundle'"))
        return None, findings
    for name, indices in dropped.items():
        if indices:
            value[name] = [entry for index, entry in enumerate(value[name]) if index not in indices]
    return value, findings


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def json_path(where: Sequence[object]) -> str:
    """``("cards", 3, "path")`` as ``cards[3].path``."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def unpack(file: Path, data: dict[str, Any], root: Path, limits: Limits) -> tuple[ImportedBundle, list[Finding]]:
    """Write the bundle's files under ``root`` (which must not exist yet) and say what they are."""
    findings: list[Finding] = []
    root.mkdir(parents=True)
    sources: dict[str, Path] = {}
    repositories: dict[Path, Repository] = {}
    for index, entry in enumerate(data["sources"]):
        problem = path_problem(entry["path"])
        if problem is not None:
            findings.append(_path_error(file, f"sources[{index}].path", entry["path"], problem))
            continue
        folder = unpacked(root, entry["path"])
        sources.setdefault(entry["path"], folder)
        own = entry["repository"]
        if own is not None:
            repositories[folder] = Repository(own["url"], own["branch"], own["edit_uri"], own["folder"])
    written: dict[str, Path] = {}
    count = 0
    glossaries: list[Path] = []
    for name in _FILE_LISTS:
        for index, entry in enumerate(data[name]):
            at = f"{name}[{index}]"
            count += 1
            if count > limits.files:
                findings.append(error(RULE, f"bundle holds more than {limits.files:,} files (limits.files); the "
                                      "rest are left out", file, field=at, hint="raise limits.files in mltrl-docs.yml"))
                break
            path = entry["path"]
            problem = path_problem(path)
            if problem is not None:
                findings.append(_path_error(file, f"{at}.path", path, problem))
                continue
            is_site_glossary = name == "pages" and entry["project"] is None
            if name != "files" and not is_site_glossary and not any(path.startswith(s + "/") for s in sources):
                findings.append(error(RULE, f"'{path}' is not inside any of the bundle's sources; left out", file,
                                      field=f"{at}.path", hint="make the bundle with 'mltrl-docs bundle'"))
                continue
            content = _content(entry, limits, file, at)
            if isinstance(content, Finding):
                findings.append(content)
                continue
            target = _write(root, path, content, written)
            if isinstance(target, str):
                findings.append(error(RULE, f"cannot unpack '{path}': {target}; left out", file, field=f"{at}.path"))
                continue
            written[path] = target
            if is_site_glossary:
                glossaries.append(target)
    findings += [Finding(Severity.INFO, RULE, f"the bundle leaves out '{o['path']}'"
                         + (f" (cited by {o['cited_by']})" if o["cited_by"] else "") + f": {o['reason']}", file,
                         field=f"omitted[{i}]", hint="where the bundle is made, keep the file inside the site's "
                                                     "folder and within limits.file_bytes")
                 for i, o in enumerate(data["omitted"])]
    provenance = _provenance(data["provenance"], root, written, data["repository"]["commit"])
    return ImportedBundle(file, root, tuple(sources.values()), tuple(glossaries), repositories, provenance,
                          data["repository"]["commit"], data["repository"]["dirty"]), findings


def _path_error(file: Path, at: str, path: str, problem: str) -> Finding:
    return error(RULE, f"unsafe path in bundle: {problem}; left out, never read or written", file, field=at,
                 hint="a bundle names files by relative paths inside the repository it was made from "
                      f"(not {json.dumps(path)[:80]})")


def file_bytes(entry: Mapping[str, Any]) -> bytes | None:
    """A bundle file entry's content (its ``encoding`` utf-8 or base64) as bytes; None for base64
    that does not decode."""
    if entry["encoding"] == "utf-8":
        return str(entry["content"]).encode("utf-8", "surrogatepass")
    try:
        return base64.b64decode(entry["content"], validate=True)
    except (binascii.Error, ValueError):
        return None


def _content(entry: dict[str, Any], limits: Limits, file: Path, at: str) -> bytes | Finding:
    data = file_bytes(entry)
    if data is None:
        return error(RULE, "content is not valid base64; left out", file, field=f"{at}.content")
    if len(data) > limits.file_bytes:
        return error(RULE, f"'{entry['path']}' is {len(data):,} bytes; the limit is {limits.file_bytes:,} "
                     "(limits.file_bytes); left out", file, field=f"{at}.content",
                     hint="raise limits.file_bytes in mltrl-docs.yml")
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        return error(RULE, f"'{entry['path']}' does not have its sha256: the bundle was changed or damaged; left out",
                     file, field=f"{at}.sha256", hint="make the bundle again with 'mltrl-docs bundle'")
    return data


def _write(root: Path, path: str, data: bytes, written: dict[str, Path]) -> Path | str:
    """Write one file under ``root``; why not, when it cannot be (a path twice, a file where a
    folder must be). Folders are made here, so no link can lead a write elsewhere."""
    if path in written:
        return "the path is in the bundle twice"
    target = unpacked(root, path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if os.path.realpath(target.parent) != os.path.join(os.path.realpath(root), *Path(path).parts[:-1]):
            return "its folder is not where the path says"
        with open(target, "xb") as out:  # O_EXCL: never over a file, never through a link
            out.write(data)
    except OSError as exc:
        return exc.strerror or str(exc)
    return target


def _provenance(data: dict[str, Any], root: Path, written: dict[str, Path], head: str | None) -> ProvenanceReport:
    """The bundle's provenance records, by unpacked path (only of files it holds)."""
    commits = {}
    for sha, found in data["commits"].items():
        authored, committed = _moment(found["authored"]), _moment(found["committed"])
        if authored is not None and committed is not None:  # else the commit is not known
            commits[sha] = Commit(sha, found["author"], found["email"], authored, committed, found["subject"][:200])
    histories = {}
    for path, found in data["files"].items():
        if path not in written:
            continue
        histories[written[path]] = FileHistory(
            written[path], tuple(commits[sha] for sha in found["commits"] if sha in commits),
            commits.get(found["created"] or ""), found["local_changes"], found["untracked"], found["shallow"],
            found["truncated"], tuple(found["names"]), _moment(found["horizon"]))
    records = {}
    for path, found in data["decisions"].items():
        if path in written:
            records[written[path]] = tuple(
                None if d is None else DecisionRecord(d["reviewer"], d["line"], commits.get(d["commit"] or ""),
                                                      d["uncommitted"], d["boundary"], d["by_reviewer"])
                for d in found)
    repositories = tuple(GitRepository(root, r["head"], r["shallow"], r["truncated"], _moment(r["horizon"]))
                         for r in data["repositories"][:1]) or (
        (GitRepository(root, head),) if head is not None else ())
    return ProvenanceReport(histories, records, repositories, unavailable=None if histories else data["unavailable"])


def _moment(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
