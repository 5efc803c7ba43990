"""``.tf.json`` modules: complete mode edits the JSON text span-precisely; override and comment mode.

Each case under ``samples/json/`` is a module before the fix, the files complete
mode changes (``after-complete/``) and its ``--set`` values (``case.toml``).
Each check: the exact expected bytes, the result loads as JSON and holds the
same data plus the new backend members, a second run changes nothing, and the
CRLF twin of an LF case (made here) gives the CRLF twin of its result. The
scanner and the edit writer are also tested on their own, with generated JSON
in every common layout.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_cli import make_module, run_cli

from fixer.fixes import json_edit
from fixer.fixes.plan import FixOptions
from fixer.runner.engine import Runner, RunOptions

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "json"
CASES = sorted(p.name for p in SAMPLES.iterdir() if (p / "case.toml").is_file())


def _sets(case: str) -> dict[str, str]:
    with (SAMPLES / case / "case.toml").open("rb") as handle:
        return {k: str(v) for k, v in tomllib.load(handle)["set"].items()}


def _copy(case: str, into: Path, *, crlf: bool = False) -> Path:
    module = into / case
    module.mkdir(parents=True)
    for path in (SAMPLES / case / "before").iterdir():
        data = path.read_bytes()
        (module / path.name).write_bytes(_to_crlf(data) if crlf else data)
    return module


def _to_crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _expected(case: str, name: str, *, crlf: bool = False) -> bytes:
    after = SAMPLES / case / "after-complete" / name
    data = (after if after.exists() else SAMPLES / case / "before" / name).read_bytes()
    return _to_crlf(data) if crlf else data


def _run(module: Path, mode: str, sets: dict[str, str], *, write: bool) -> list[Any]:
    options = RunOptions(
        paths=(str(module),),
        fix=FixOptions(mode=mode),
        write=write,
        sets=sets,
        raise_internal_errors=True,
    )
    return list(Runner(options).results())


def _backend_members(document: Any) -> dict[str, Any]:
    """The one S3 backend body of a document, in either JSON block shape."""

    def objects(value: Any) -> list[dict[str, Any]]:
        return [value] if isinstance(value, dict) else [v for v in value if isinstance(v, dict)]

    found = [
        body
        for terraform in objects(document["terraform"])
        for labels in objects(terraform.get("backend", []))
        for body in objects(labels.get("s3", []))
    ]
    assert len(found) == 1
    return found[0]


def assert_same_data_plus_additions(before: bytes, after: bytes) -> None:
    """``after`` loads; it is ``before`` with backend members added and empty ones filled."""
    old, new = json.loads(before), json.loads(after)
    old_backend, new_backend = _backend_members(old), _backend_members(new)
    for name, value in old_backend.items():
        assert new_backend[name] == value or value == ""
    assert set(new_backend) > set(old_backend) or any(v == "" for v in old_backend.values())
    # Everything else is the same data: blank out the backend bodies and compare.
    old_backend.clear()
    new_backend.clear()
    assert old == new


def _cases_with_twins() -> list[Any]:
    params = []
    for case in CASES:
        params.append(pytest.param(case, False, id=case))
        before = b"".join(p.read_bytes() for p in (SAMPLES / case / "before").iterdir())
        if b"\r\n" not in before and b"\n" in before:
            params.append(pytest.param(case, True, id=f"{case}-crlf"))
    return params


@pytest.mark.parametrize(("case", "crlf"), _cases_with_twins())
def test_complete_mode_edits_the_json_text(tmp_path: Path, case: str, crlf: bool) -> None:
    module = _copy(case, tmp_path, crlf=crlf)
    before = {p.name: p.read_bytes() for p in module.iterdir()}
    sets = _sets(case)
    dry = _run(module, "complete", sets, write=False)
    assert [str(p) for r in dry for p in r.problems] == []
    assert {p.name: p.read_bytes() for p in module.iterdir()} == before  # a dry run writes nothing
    results = _run(module, "complete", sets, write=True)
    assert [str(p) for r in results for p in r.problems] == []
    changed = {Path(f.path).name for r in results for f in r.files}
    assert changed == {p.name for p in (SAMPLES / case / "after-complete").iterdir()}
    for name, old in before.items():
        new = (module / name).read_bytes()
        assert new == _expected(case, name, crlf=crlf)
        if name in changed:
            assert_same_data_plus_additions(old, new)
            assert (b"\r\n" in new) == crlf or b"\r\n" in old
    again = _run(module, "complete", sets, write=False)
    assert [f.path for r in again for f in r.files] == []
    assert [str(p) for r in again for p in r.problems] == []


@pytest.mark.parametrize("case", CASES)
def test_after_complete_has_no_blocking_finding(tmp_path: Path, case: str) -> None:
    module = _copy(case, tmp_path)
    _run(module, "complete", _sets(case), write=True)
    outcome = run_cli(
        "check", ".", *("--select", "BF001", "--select", "BF002", "--select", "BF010"), cwd=module
    )
    assert outcome.code == 0, outcome.text


def test_complete_through_the_cli_prints_a_diff_then_writes(tmp_path: Path) -> None:
    module = _copy("empty-s3", tmp_path)
    sets = [item for k, v in _sets("empty-s3").items() for item in ("--set", f"{k}={v}")]
    dry = run_cli("fix", ".", "--mode", "complete", *sets, cwd=module)
    assert dry.code == 1
    assert '+        "use_lockfile": true\n' in dry.out
    assert "--- a/main.tf.json\n+++ b/main.tf.json\n" in dry.out
    written = run_cli("fix", ".", "--mode", "complete", "--write", *sets, cwd=module)
    assert written.code == 0, written.text
    assert (module / "main.tf.json").read_bytes() == _expected("empty-s3", "main.tf.json")


def test_complete_mode_names_what_is_missing(tmp_path: Path) -> None:
    module = _copy("empty-s3", tmp_path)
    outcome = run_cli("fix", ".", "--mode", "complete", "--set", "bucket=b", cwd=module)
    assert outcome.code == 2
    assert outcome.errors == [
        ".: cannot complete the s3 backend: no value for key, region; pass --set "
        "key=PATH/terraform.tfstate (or a `key` template in the config file); --set "
        'region=REGION (or a literal region in provider "aws"), or a --backend-config FILE'
    ]
    assert (module / "main.tf.json").read_bytes() == (
        SAMPLES / "empty-s3" / "before" / "main.tf.json"
    ).read_bytes()


def test_comment_mode_leaves_json_alone_and_suggests_override(tmp_path: Path) -> None:
    module = _copy("empty-s3", tmp_path)
    before = (module / "main.tf.json").read_bytes()
    outcome = run_cli("fix", ".", "--mode", "comment", "--write", cwd=module)
    # Not an error: the module is left alone and its finding remains (exit 1).
    assert outcome.code == 1
    assert outcome.errors == []
    assert (
        "  main.tf.json:5:7: BF001: comment mode cannot comment out the backend in "
        "main.tf.json (JSON has no comments); use --mode override or --mode complete"
    ) in outcome.err.splitlines()
    assert "Traceback" not in outcome.text
    assert (module / "main.tf.json").read_bytes() == before
    assert sorted(p.name for p in module.iterdir()) == ["main.tf.json"]


def test_override_mode_works_for_a_json_module(tmp_path: Path) -> None:
    module = _copy("cdktf", tmp_path)
    before = (module / "cdk.tf.json").read_bytes()
    # The JSON backend's warnings (no locking, no encryption) stay: they fail only
    # with the default --fail-on.
    outcome = run_cli("fix", ".", "--mode", "override", "--write", "--fail-on", "error", cwd=module)
    assert outcome.code == 0, outcome.text
    assert (module / "cdk.tf.json").read_bytes() == before
    override = (module / "backend_override.tf").read_text()
    assert 'backend "local" {}' in override
    check = run_cli("check", ".", "--select", "BF001", cwd=module)
    assert check.code == 0, check.text
    again = run_cli("fix", ".", "--mode", "override", "--fail-on", "error", cwd=module)
    assert again.code == 0 and again.out == ""


def test_two_backend_objects_of_one_type_are_not_guessed_at(tmp_path: Path) -> None:
    text = (
        b'{"terraform": [{"backend": {"s3": {"bucket": "a"}}}, '
        b'{"backend": {"s3": {"bucket": "b"}}}]}\n'
    )
    module = make_module(tmp_path, "two", {"main.tf.json": text})
    sets = {"key": "k", "region": "r", "dynamodb_table": "t"}
    results = _run(module, "complete", sets, write=True)
    messages = [p.message for r in results for p in r.problems]
    assert (
        "complete mode cannot edit main.tf.json: it holds 2 's3' backend objects; " in messages[0]
    )
    assert (module / "main.tf.json").read_bytes() == text


# -- the scanner and the writer -------------------------------------------------------------


def test_scanner_skips_strings_that_look_like_structure() -> None:
    text = (
        '{"x": "} { ] [ \\" \\\\", "terraform": {"//": "{\\"backend\\": 1}", '
        '"backend": {"s3": {"bucket": "a\\u00e9b"}}}, "y": [[[{"z": "]"}]]]}'
    )
    (found,) = json_edit.backend_objects(text, "s3")
    assert json.loads(text[found.start : found.end]) == {"bucket": "a\u00e9b"}
    assert [m.key for m in found.members] == ["bucket"]


def test_scanner_follows_the_last_of_duplicate_keys_like_json_loads() -> None:
    text = '{"terraform": {"backend": {"s3": {"bucket": "old"}}}, "terraform": {"backend": {"s3": {}}}}'
    (found,) = json_edit.backend_objects(text, "s3")
    assert text[found.start : found.end] == "{}"
    assert found.start > text.index('"old"')


def test_scanner_is_not_limited_by_depth_elsewhere() -> None:
    deep = "[" * 50_000 + "]" * 50_000
    text = '{"locals": ' + deep + ', "terraform": {"backend": {"s3": {}}}}'
    (found,) = json_edit.backend_objects(text, "s3")
    assert text[found.start : found.end] == "{}"


def test_scanner_rejects_what_is_not_json() -> None:
    with pytest.raises(json_edit.JsonScanError):
        json_edit.backend_objects('{"terraform": {"backend": ', "s3")
    assert json_edit.backend_objects('{"terraform": {}}', "s3") == []
    assert json_edit.backend_objects('{"terraform": {"backend": {"gcs": {}}}}', "s3") == []


def test_cloud_blocks_are_found_too() -> None:
    text = '{"terraform": {"cloud": {"organization": "acme"}}}'
    (found,) = json_edit.backend_objects(text, "cloud")
    assert json.loads(text[found.start : found.end]) == {"organization": "acme"}


def test_verify_completion_catches_edits_outside_or_lost_members() -> None:
    old = '{"terraform": {"backend": {"s3": {"bucket": "a"}}}, "x": 1}'
    assert json_edit.verify_completion(old, old.replace('"a"}', '"a", "key": "k"}'), "s3") is None
    assert json_edit.verify_completion(old, old.replace('"x": 1', '"x": 2'), "s3") == (
        "the change reaches outside the backend object"
    )
    assert json_edit.verify_completion(old, old.replace('"a"', '"b"'), "s3") == (
        "member 'bucket' of the backend changed"
    )
    assert json_edit.verify_completion(old, old.replace('{"bucket": "a"}', "{}"), "s3") == (
        "member 'bucket' of the backend was lost"
    )
    assert json_edit.verify_completion(old, old[:-1], "s3").startswith(
        "the completed JSON does not load"
    )


VALUES = st.one_of(
    st.text(max_size=8),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.booleans(),
    st.none(),
)
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10)
LAYOUTS = st.sampled_from(
    [
        {"indent": None},
        {"indent": None, "separators": (",", ":")},
        {"indent": 2},
        {"indent": 4},
        {"indent": "\t"},
        {"indent": 2, "separators": (",", ": ")},
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    existing=st.dictionaries(NAMES, VALUES, max_size=4),
    additions=st.dictionaries(NAMES, VALUES, min_size=1, max_size=4),
    layout=LAYOUTS,
    crlf=st.booleans(),
    list_form=st.booleans(),
    other=st.dictionaries(
        NAMES, st.recursive(VALUES, lambda x: st.lists(x, max_size=3)), max_size=3
    ),
)
def test_completion_of_generated_json_keeps_every_byte_and_all_data(
    existing: dict[str, Any],
    additions: dict[str, Any],
    layout: dict[str, Any],
    crlf: bool,
    list_form: bool,
    other: dict[str, Any],
) -> None:
    additions = {k: v for k, v in additions.items() if k not in existing}
    body: Any = existing
    backend: Any = {"s3": [body] if list_form else body}
    document = {"locals": other, "terraform": {"backend": backend}, "after": other}
    text = json.dumps(document, ensure_ascii=False, **layout)
    if crlf:
        text = text.replace("\n", "\r\n")
    new = json_edit.complete_text(text, "s3", list(additions.items()))
    assert json_edit.verify_completion(text, new, "s3") is None
    loaded = json.loads(new)
    got = loaded["terraform"]["backend"]["s3"]
    assert (got[0] if list_form else got) == {**existing, **additions}
    assert loaded["locals"] == other and loaded["after"] == other
    if crlf or "\n" not in text:
        assert "\n" not in new.replace("\r\n", "")  # no bare LF in a CRLF (or one-line) file
    if layout["indent"] == "\t" and existing:
        assert "\n\t\t\t" in new.replace("\r\n", "\n")


def test_complete_text_refuses_ambiguity() -> None:
    with pytest.raises(ValueError, match="found 0"):
        json_edit.complete_text('{"terraform": {}}', "s3", [("key", "k")])
    with pytest.raises(ValueError, match="no member 'bucket'"):
        json_edit.completion_edits(
            '{"terraform": {"backend": {"s3": {}}}}',
            json_edit.backend_objects('{"terraform": {"backend": {"s3": {}}}}', "s3")[0],
            [],
            {"bucket": "b"},
        )


def test_samples_are_what_the_cases_say() -> None:
    """Each after-complete file differs from its before file, and every case has one."""
    for case in CASES:
        after = list((SAMPLES / case / "after-complete").iterdir())
        assert after
        for path in after:
            assert path.read_bytes() != (SAMPLES / case / "before" / path.name).read_bytes()
