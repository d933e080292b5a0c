"""`handover init`: a new knowledge base for one's own community.

The repository it makes: kb/ (handover.yml, one example record of each kind, the
format and problem guides), mkdocs.yml, README.md, .gitignore, .gitattributes,
.pre-commit-config.yaml, CI for GitHub Actions and GitLab CI (validate on every
push, publish the public site from the default branch), the JSON Schemas in
schemas/ wired for editors (.vscode/settings.json, and a modeline in each YAML
record), and a git repository.

Everything is written into a staging folder beside the target first, then moved in
place, so that a failure never leaves a half-made knowledge base.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from handover import __version__
from handover.core.errors import HandoverError, UsageError
from handover.git.commandline import GitInit, init_repository

TEMPLATES = Path(__file__).parent / "files"
KB_DIR = "kb"
SCHEMA_DIR = "schemas"


@dataclass
class Scaffold:
    root: Path
    files: list[str] = field(default_factory=list)  # relative to root, '/'-separated
    git: GitInit | None = None
    package: str = ""  # what CI installs handover from
    notes: list[str] = field(default_factory=list)


# On the public package index, `handover` is another project: CI must never install
# handover by that bare name (dependency confusion). Without --package, CI installs
# from the git repository this handover was installed from, when pip recorded one;
# else from a placeholder on a reserved domain (.invalid never resolves), so the
# first CI run fails with a message instead of installing someone else's code.
TAKEN_NAME = "handover"
PLACEHOLDER_PACKAGE = "git+https://git.invalid/SET-HANDOVER_PACKAGE/handover@v" + __version__


def check_package(package: str) -> str:
    """A CI requirement for handover; a bare `handover` name (any version) is refused."""
    spec = package.strip()
    name = re.split(r"[\s<>=!~;\[@]", spec, maxsplit=1)[0]
    if re.sub(r"[-_.]+", "-", name).lower() == TAKEN_NAME and "://" not in spec:
        raise UsageError(f'--package "{spec}": on the public package index, "{TAKEN_NAME}" is an unrelated project; '
                         "CI would install someone else's code",
                         hint="install from the handover repository: --package git+https://YOUR-GIT-HOST/…/handover@v" + __version__)
    return spec


def installed_from() -> str | None:
    """The git URL and commit this handover was installed from (pip's direct_url.json), if any."""
    from importlib import metadata

    try:
        text = metadata.distribution("handover").read_text("direct_url.json")
        info = json.loads(text) if text else None
    except (metadata.PackageNotFoundError, ValueError):
        return None
    if not isinstance(info, dict) or not isinstance(info.get("vcs_info"), dict) or not isinstance(info.get("url"), str):
        return None
    vcs = info["vcs_info"]
    if vcs.get("vcs") != "git" or not str(info["url"]).startswith(("https://", "ssh://", "git://")):
        return None
    revision = vcs.get("requested_revision") or vcs.get("commit_id")
    return f"git+{info['url']}" + (f"@{revision}" if revision else "")


def check_target(target: Path) -> None:
    """Refuse anything but a missing or empty folder (an empty clone, holding only
    .git, counts as empty)."""
    if target.exists() and not target.is_dir():
        raise HandoverError(f"{target} is a file", hint="give a folder to create: handover init my-community")
    if target.is_dir():
        entries = sorted(e.name for e in os.scandir(target) if e.name != ".git")
        if entries:
            shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
            raise HandoverError(f"{target} is not empty (it holds {shown}); handover init only writes into an empty folder",
                                hint="choose a new folder: handover init my-community")


def create_knowledge_base(target: Path, *, community: str, language: str = "en", country: str = "",
                          package: str | None = None, today: dt.date | None = None, git: bool = True) -> Scaffold:
    """Make a new knowledge-base repository at `target` (missing or empty)."""
    today = today or dt.date.today()
    community = community.strip()
    if not community:
        raise UsageError("the community needs a name", hint='handover init DIR --community "Cycles Morvan"')
    if not re.match(r"^[a-z]{2}$", language):
        raise UsageError(f'language "{language}" must be a two-letter code like fr or en')
    country = country.upper()
    if country and not re.match(r"^[A-Z]{2}$", country):
        raise UsageError(f'country "{country}" must be a two-letter ISO code like FR, BE or CH')
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".handover-init-", dir=target.parent))
    try:
        notes = []
        if package:
            package = check_package(package)
        else:
            package = installed_from() or PLACEHOLDER_PACKAGE
            if package == PLACEHOLDER_PACKAGE:
                notes.append("CI does not know where to install handover from: set HANDOVER_PACKAGE in .github/workflows/handover.yml "
                             "and .gitlab-ci.yml to the handover repository (git+https://…/handover@v" + __version__ + "), "
                             "or run init with --package; never the bare name handover, an unrelated project on the package index")
        files = _write_all(staging, community, language, country, package, today)
        _move_into(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result = Scaffold(target, sorted(files), package=package, notes=notes)
    if git:
        result.git = init_repository(target)
    return result


def _tokens(community: str, language: str, country: str, package: str) -> dict[str, str]:
    country_line = (f"country: {country}          # phone numbers written without +NN are read as this country's"
                    if country else "# country: FR          # give your country: phone numbers written without +NN are read as its numbers")
    return {
        "@COMMUNITY_YAML@": json.dumps(community, ensure_ascii=False),  # a JSON string is a YAML double-quoted scalar
        "@COMMUNITY@": community,
        "@LANGUAGE@": language,
        "@COUNTRY_LINE@": country_line,
        "@PACKAGE@": package.replace('"', ""),
        "@VERSION@": __version__,
        # the names of the palette toggle's three states (light, dark, the system's)
        "@TOGGLE_DARK@": "Passer au mode sombre" if language == "fr" else "Switch to dark mode",
        "@TOGGLE_SYSTEM@": "Suivre le réglage du système" if language == "fr" else "Follow the system setting",
        "@TOGGLE_LIGHT@": "Passer au mode clair" if language == "fr" else "Switch to light mode",
    }


def _write_all(root: Path, community: str, language: str, country: str, package: str, today: dt.date) -> list[str]:
    from handover.files.atomic import atomic_create
    from handover.records.config import load_config
    from handover.reference.pages import format_reference, problems_reference
    from handover.reference.schemas import vscode_settings, write_schemas

    written: list[str] = []

    def put(relative: str, text: str) -> None:
        atomic_create(root / relative, text)
        written.append(relative)

    tokens = _tokens(community, language, country, package)
    for template in sorted(TEMPLATES.rglob("*")):
        if template.is_file():
            relative = "/".join(("." + part[4:]) if part.startswith("dot-") else part for part in template.relative_to(TEMPLATES).parts)
            text = template.read_text(encoding="utf-8")
            for token, value in tokens.items():
                text = text.replace(token, value)
            put(relative, text)
    kb_root = root / KB_DIR
    config = load_config(kb_root, KB_DIR)
    if any(p.is_error for p in config.problems):
        raise HandoverError(f"the new handover.yml is not valid: {config.problems[0].format_gnu()}")
    for path in write_schemas(root / SCHEMA_DIR, config):
        written.append(f"{SCHEMA_DIR}/{path.name}")
    put(".vscode/settings.json", json.dumps(vscode_settings(SCHEMA_DIR, KB_DIR), indent=2) + "\n")
    put(".vscode/extensions.json", json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2) + "\n")
    put(f"{KB_DIR}/guide/format.md", format_reference())
    put(f"{KB_DIR}/guide/problems.md", problems_reference())
    for relative in _write_examples(kb_root, language, today):
        written.append(f"{KB_DIR}/{relative}")
    return written


def _write_examples(kb_root: Path, language: str, today: dt.date) -> list[str]:
    from handover.commands.new import Draft, render_record, write_record
    from handover.commands.scaffold.examples import examples
    from handover.records.kinds import KINDS
    from handover.reference.schemas import modeline

    written = []
    for kind, ident, data, body in examples(language, today):
        spec = KINDS[kind]
        path = kb_root / kind / f"{ident}{spec.extension}"
        write_record(path, render_record(Draft(spec, data, body), modeline(path, kind, kb_root)))
        written.append(f"{kind}/{path.name}")
    return written


def _move_into(staging: Path, target: Path) -> None:
    """Put the staged files in place: one rename when the target does not exist."""
    if not target.exists():
        os.rename(staging, target)
        return
    for entry in sorted(os.listdir(staging)):
        os.rename(staging / entry, target / entry)
    os.rmdir(staging)
