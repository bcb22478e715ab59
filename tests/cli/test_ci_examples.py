"""The CI conventions of docs/ci.md run as documented, so they cannot rot.

The pre-commit hook of ``.pre-commit-hooks.yaml`` is run by pre-commit itself (``try-repo`` and
the example ``docs/ci/pre-commit-config.yaml``) from a git copy of the working tree; the hegui
commands of the GitHub Actions and GitLab CI examples are run on example payloads, and the files
their upload steps name are checked (SARIF against the OASIS schema, JUnit parsed).

The pre-commit tests (slow tier) install hegui into a hook environment with pip, three times:
``try-repo`` keeps a store of its own per call. About 50 s on an idle two-core machine with a
warm pip cache; each pre-commit call is bounded by ``TIMEOUT``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from junitparser import Failure, JUnitXml

from hegui.validator.inputs import PAYLOAD_EXTENSIONS

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "docs" / "ci"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
EG = ROOT / "specs" / "eguarantee" / "1.1" / "examples"  # the current version
VALID_JSON = EG / "valid" / "apply.json"
VALID_XML = EG / "valid" / "apply.xml"
INVALID = EG / "invalid" / "EG-002" / "bid-security-above-2-percent.json"
WC_APPLICATION = (ROOT / "specs" / "window-checklist" / "1.0" / "examples" / "valid"
                  / "application.json")

#: Installing the hook's environment (pip, from the index or its cache) and each run.
TIMEOUT = 600


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _hooks() -> dict[str, dict[str, Any]]:
    return {h["id"]: h for h in _yaml(HOOKS)}


def _invokes_hegui(script: str) -> bool:
    return any(shlex.split(line)[:1] == ["hegui"] for line in script.splitlines() if line.strip())


def _github_steps() -> list[dict[str, Any]]:
    doc = _yaml(CI / "github-actions.yml")
    return [step for job in doc["jobs"].values() for step in job["steps"]]


def _github_hegui_scripts() -> list[str]:
    return [s["run"] for s in _github_steps() if "run" in s and _invokes_hegui(s["run"])]


def _github_uploads() -> dict[str, dict[str, Any]]:
    """The upload steps by action (``upload-sarif``, ``upload-artifact``)."""
    uploads = {}
    for step in _github_steps():
        action = step.get("uses", "").partition("@")[0]
        if action in ("github/codeql-action/upload-sarif", "actions/upload-artifact"):
            uploads[action.rpartition("/")[2]] = step
    return uploads


def _github_uploaded_files() -> list[str]:
    uploads = _github_uploads()
    paths = uploads["upload-artifact"]["with"]["path"].split()
    return list(dict.fromkeys([uploads["upload-sarif"]["with"]["sarif_file"], *paths]))


def _gitlab_job() -> dict[str, Any]:
    jobs = [j for j in _yaml(CI / "gitlab-ci.yml").values()
            if isinstance(j, dict) and _invokes_hegui("\n".join(j.get("script", [])))]
    assert len(jobs) == 1
    return jobs[0]


def _gitlab_uploaded_files() -> list[str]:
    artifacts = _gitlab_job()["artifacts"]
    junit = artifacts["reports"]["junit"]
    return list(dict.fromkeys([*([junit] if isinstance(junit, str) else junit),
                               *artifacts["paths"]]))


def _output_paths(script: str) -> set[str]:
    """The PATHs of ``--output FORMAT=PATH`` in a script's hegui commands."""
    words = shlex.split(script)
    return {w.partition("=")[2] for o, w in pairwise(words)
            if o == "--output"}


# --- fast: the files say what the tests below rely on ---------------------------------------


def test_hook_matches_exactly_the_payload_files_hegui_reads() -> None:
    hook = _hooks()["hegui-validate"]
    assert hook["language"] == "python"
    assert shlex.split(hook["entry"]) == ["hegui", "validate"]
    files = re.compile(hook["files"])
    for ext in PAYLOAD_EXTENSIONS:
        assert files.search(f"payloads/sub/p{ext}")
        assert files.search(f"P{ext.upper()}")
    for name in ("README.md", "specs/x.yaml", "p.json.bak", "p.xsd", "jsonl", "p.html"):
        assert not files.search(name), name


def test_upload_steps_also_run_after_a_failing_validation() -> None:
    # hegui exits 1 on a nonconformant payload: reports must still be uploaded then.
    assert set(_github_uploads()) == {"upload-sarif", "upload-artifact"}
    runs_anyway = re.compile(r"\$\{\{\s*(!cancelled\(\)|always\(\))\s*\}\}")
    for name, step in _github_uploads().items():
        assert runs_anyway.fullmatch(step.get("if", "")), name
    assert _gitlab_job()["artifacts"]["when"] == "always"


def test_uploaded_files_are_written_by_the_hegui_commands() -> None:
    github = _github_uploaded_files()
    assert set(github) == _output_paths("\n".join(_github_hegui_scripts()))
    gitlab = _gitlab_uploaded_files()
    assert set(gitlab) == _output_paths("\n".join(_gitlab_job()["script"]))
    for files in (github, gitlab):
        assert {Path(f).suffix for f in files} >= {".sarif", ".xml"}


def test_ci_page_names_every_example_file() -> None:
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    examples = sorted(p.name for p in CI.iterdir())
    assert examples == ["github-actions.yml", "gitlab-ci.yml", "pre-commit-config.yaml"]
    for name in examples:
        assert f"(ci/{name})" in page, name
    assert "(../.pre-commit-hooks.yaml)" in page


# --- slow: the GitHub Actions and GitLab CI commands, run --------------------------------------


@pytest.fixture()
def payload_checkout(tmp_path: Path) -> Path:
    """A checkout holding payloads/: two conformant payloads and one nonconformant (EG-002)."""
    payloads = tmp_path / "checkout" / "payloads"
    payloads.mkdir(parents=True)
    for source in (VALID_JSON, VALID_XML, INVALID):
        shutil.copy(source, payloads / source.name)
    return payloads.parent


def _run_script(script: str, cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a CI script as a runner's bash would, ``hegui`` being this environment's."""
    hegui = Path(sys.executable).parent / "hegui"
    assert hegui.is_file(), "the hegui console script of this environment"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "hegui").unlink(missing_ok=True)
    (bin_dir / "hegui").symlink_to(hegui)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False)


def _check_reports(checkout: Path, files: list[str]) -> None:
    """Each uploaded file exists and is what its name says; the batch is the checkout's."""
    bad = f"payloads/{INVALID.name}"
    sources = sorted(f"payloads/{p.name}" for p in (VALID_JSON, VALID_XML, INVALID))
    for name in files:
        path = checkout / name
        assert path.is_file(), f"{name} was not written"
        if path.suffix == ".sarif":
            doc = json.loads(path.read_text(encoding="utf-8"))
            schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
            jsonschema.Draft7Validator(schema).validate(doc)
            results = [r for run in doc["runs"] for r in run["results"]]
            assert [r["ruleId"] for r in results] == ["EG-002"]
            # code scanning places results by repository-relative URIs
            assert {loc["physicalLocation"]["artifactLocation"]["uri"]
                    for r in results for loc in r["locations"]} == {bad}
        elif path.suffix == ".xml":
            # Whatever the suite layout (reports/junit.py): every payload is named, and the
            # failures are the nonconformant payload's, citing its rule.
            xml = JUnitXml.fromstring(path.read_bytes())
            suites = list(xml) if isinstance(xml, JUnitXml) else [xml]
            assert set(sources) <= {s.name for s in suites} | {c.name for s in suites for c in s}
            failures = [(s.name, c.name, f"{x.type} {x.message} {x.text}")
                        for s in suites for c in s for x in c.result if isinstance(x, Failure)]
            assert failures, "no failure for the nonconformant payload"
            for suite, case, text in failures:
                assert bad in (suite, case) and "EG-002" in text
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            assert text.lstrip().lower().startswith("<!doctype html")
            assert INVALID.name in text
        else:
            pytest.fail(f"no check for the uploaded file {name}")


@pytest.mark.slow
def test_github_actions_example_runs(payload_checkout: Path, tmp_path: Path) -> None:
    scripts = _github_hegui_scripts()
    assert len(scripts) == 1
    run = _run_script(scripts[0], payload_checkout, tmp_path)
    assert run.returncode == 1, run.stderr  # a nonconformant payload fails the job
    assert f"::error file=payloads/{INVALID.name},line=" in run.stdout
    assert "title=EG-002::" in run.stdout
    _check_reports(payload_checkout, _github_uploaded_files())


@pytest.mark.slow
def test_gitlab_ci_example_runs(payload_checkout: Path, tmp_path: Path) -> None:
    run = _run_script("\n".join(_gitlab_job()["script"]), payload_checkout, tmp_path)
    assert run.returncode == 1, run.stderr
    assert f"payloads/{INVALID.name}:" in run.stdout and "EG-002" in run.stdout
    _check_reports(payload_checkout, _gitlab_uploaded_files())


@pytest.mark.slow
def test_ci_examples_pass_conformant_payloads(payload_checkout: Path, tmp_path: Path) -> None:
    (payload_checkout / "payloads" / INVALID.name).unlink()
    for script in [*_github_hegui_scripts(), "\n".join(_gitlab_job()["script"])]:
        run = _run_script(script, payload_checkout, tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr


# --- slow: the pre-commit hook, through pre-commit ---------------------------------------------


def _git_env(home: Path) -> dict[str, str]:
    """This process's environment without git's or pre-commit's own settings from outside."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home / "pre-commit"), GIT_CONFIG_NOSYSTEM="1",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_AUTHOR_NAME="hegui tests",
               GIT_AUTHOR_EMAIL="tests@hegui.invalid", GIT_COMMITTER_NAME="hegui tests",
               GIT_COMMITTER_EMAIL="tests@hegui.invalid")
    return env


def _git(env: dict[str, str], cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                   timeout=TIMEOUT)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of the pre-commit runs: no outside git or pre-commit settings."""
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (the dev extra has it)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return _git_env(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="module")
def hook_repo(hook_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding the working tree as it is (tracked and new files), committed.

    pre-commit installs a hook from a commit; a copy tests the files as they are now, whatever
    the state of this checkout's own history and index."""
    repo = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, env=hook_env, check=True, capture_output=True,
                            timeout=TIMEOUT).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():  # deleted but not yet staged: not part of the tree
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    _git(hook_env, repo, "init", "-q")
    _git(hook_env, repo, "add", "--all")
    _git(hook_env, repo, "commit", "-q", "-m", "working tree of hegui")
    return repo


def _payload_repo(env: dict[str, str], where: Path, files: dict[str, Path]) -> Path:
    """A payload repository: ``files`` (name to source) and a README, added to git."""
    repo = where / "payloads-repo"
    repo.mkdir()
    _git(env, repo, "init", "-q")
    (repo / "README.md").write_text("Payloads of a vendor's integration tests.\n", "utf-8")
    for name, source in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, repo / name)
    _git(env, repo, "add", "--all")
    _git(env, repo, "commit", "-q", "-m", "payloads")
    return repo


def _pre_commit(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args, "--color", "never"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False)


@pytest.mark.slow
def test_hook_gates_commits_through_pre_commit_try_repo(
        hook_env: dict[str, str], hook_repo: Path, tmp_path: Path) -> None:
    repo = _payload_repo(hook_env, tmp_path, {
        "apply.json": VALID_JSON, "sub/apply.xml": VALID_XML, f"sub/{INVALID.name}": INVALID})
    args = ("try-repo", str(hook_repo), "hegui-validate", "--all-files")
    run = _pre_commit(hook_env, repo, *args)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert re.search(r"Validate payloads with hegui\.+Failed", out), out
    assert f"sub/{INVALID.name}:68:26: error EG-002" in out
    assert "sub/apply.xml: 符合" in out  # the Chinese default, the XML payload among the files
    assert "README.md" not in out  # not a payload: never given to hegui

    _git(hook_env, repo, "rm", "-q", f"sub/{INVALID.name}")
    run = _pre_commit(hook_env, repo, *args)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert re.search(r"Validate payloads with hegui\.+Passed", out), out


@pytest.mark.slow
def test_documented_pre_commit_config_runs(
        hook_env: dict[str, str], hook_repo: Path, tmp_path: Path) -> None:
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, env=hook_env, check=True,
                         capture_output=True, text=True, timeout=TIMEOUT).stdout.strip()
    config = _yaml(CI / "pre-commit-config.yaml")
    [entry] = config["repos"]
    assert {h["id"] for h in entry["hooks"]} == {"hegui-validate"}
    entry.update(repo=str(hook_repo), rev=rev)
    config_file = tmp_path / "pre-commit-config.yaml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    repo = _payload_repo(hook_env, tmp_path, {
        "payloads/apply.json": VALID_JSON, "payloads/application.json": WC_APPLICATION,
        "guarantees/apply.xml": VALID_XML})
    args = ("run", "--all-files", "--config", str(config_file))
    run = _pre_commit(hook_env, repo, *args)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert len(re.findall(r"with hegui\.+Passed", out)) == 2, out

    # A window-checklist application passes where specs are detected, not under guarantees/.
    shutil.copy(WC_APPLICATION, repo / "guarantees" / WC_APPLICATION.name)
    _git(hook_env, repo, "add", "--all")
    run = _pre_commit(hook_env, repo, *args)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert re.search(r"Validate payloads with hegui\.+Passed", out), out
    assert re.search(r"Validate e-guarantee payloads with hegui\.+Failed", out), out
    assert f"guarantees/{WC_APPLICATION.name}: error" in out
