"""Git, behind one door: the only module that imports GitPython, and lazily.

Everything else asks this module for plain values: commits, the files each one
changed (with their old and new blob ids), blob contents, revisions resolved. It
runs few git processes whatever the size of the history: one `git log --raw` pass,
one `git diff --raw`, one `git cat-file --batch` for all the blobs. Validate, build
and search never import it; where git is missing, the folder is not a repository or
has no commits, it raises HistoryUnavailable with the fix.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from handover.core.errors import HandoverError
from handover.git.commits import (
    FORMAT,
    FORMAT_BODY,
    LOG_OPTIONS,
    Commit,
    FileChange,
    LastChange,
    LoggedCommit,
    SiteHistory,
    parse_log,
    parse_raw,
)

log = logging.getLogger(__name__)


class HistoryUnavailable(HandoverError):
    """Git cannot answer here: not installed, not a repository, no commits, or the
    history asked for is not in this (shallow) clone."""




def _import_git() -> Any:
    """GitPython, imported on first use; a clear error when it or git is missing."""
    # Without this, GitPython raises at import time when git is not installed.
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    try:
        import git
    except ImportError:
        raise HistoryUnavailable("GitPython is not installed", hint="pip install 'GitPython>=3.1,<4' (it comes with handover)") from None
    if not getattr(git, "GIT_OK", True):
        raise HistoryUnavailable(
            "git is not installed (or not on PATH): history, changes and review read the knowledge base's git history",
            hint="install git (e.g. apt-get install git); validate, build and search work without it",
        )
    return git


class Repository:
    """The git repository holding a knowledge base; every path given or returned is
    relative to the knowledge base's folder, not to the repository's top."""

    def __init__(self, kb_root: Path, display: str | None = None) -> None:
        git = _import_git()
        self._git_module = git
        where = display or str(kb_root)
        try:
            repo = git.Repo(kb_root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise HistoryUnavailable(
                f"{where} is not in a git repository, so it has no history",
                hint="put the knowledge base under git: git init && git add . && git commit -m 'Knowledge base'",
            ) from None
        if repo.bare or not repo.working_tree_dir:
            raise HistoryUnavailable(f"{where} is in a bare git repository", hint="run handover in a clone with a working tree")
        self._repo = repo
        self.git = repo.git
        self.top = Path(repo.working_tree_dir).resolve()
        relative = os.path.relpath(kb_root.resolve(), self.top)
        self.prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        self.display = where
        try:
            valid = repo.head.is_valid()
        except Exception:  # noqa: BLE001 - a corrupt HEAD: treat as no commits, with git's own words below
            valid = False
        if not valid:
            raise HistoryUnavailable(
                f"the git repository at {self.top} has no commits yet",
                hint="commit the knowledge base first: git add . && git commit -m 'Knowledge base'",
            )
        self.head = repo.head.commit.hexsha
        self.branch: str | None = None if repo.head.is_detached else repo.active_branch.name
        shallow_file = Path(repo.common_dir) / "shallow"
        self.boundaries: frozenset[str] = frozenset(shallow_file.read_text().split()) if shallow_file.is_file() else frozenset()

    @property
    def shallow(self) -> bool:
        return bool(self.boundaries)

    def notes(self) -> list[str]:
        """What the reader should know about this checkout (said once, on stderr)."""
        notes = []
        if self.branch is None:
            notes.append(f"HEAD is detached at {self.head[:8]} (no branch checked out): history is read from that commit")
        if self.shallow:
            notes.append("this clone is shallow: older history is missing; run `git fetch --unshallow` (in CI: fetch-depth: 0) for all of it")
        return notes

    # -- running git ---------------------------------------------------------

    def _run(self, *args: str, stdin: Any = None) -> bytes:
        git = self._git_module
        try:
            output = self.git.execute([git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", *args], istream=stdin, stdout_as_string=False, strip_newline_in_stdout=False)
        except git.GitCommandNotFound:
            raise HistoryUnavailable("git is not installed (or not on PATH)", hint="install git; validate, build and search work without it") from None
        except git.GitCommandError as exc:
            message = (exc.stderr or "").strip().removeprefix("stderr:").strip().strip("'").strip()
            raise HistoryUnavailable(f"git {args[0]} failed: {message.splitlines()[0] if message else exc}") from None
        return output if isinstance(output, bytes) else str(output).encode()

    def pathspec(self, relative: str = "") -> str:
        """A kb-relative path as a literal pathspec from the repository's top."""
        return f":(top,literal){self.prefix}{relative}" if (self.prefix or relative) else ":(top)."

    def _relative(self, path: str) -> str | None:
        return path[len(self.prefix):] if path.startswith(self.prefix) else None

    # -- questions -------------------------------------------------------------

    def resolve(self, revision: str) -> str:
        """A revision (branch, tag, sha, HEAD~3) → its full commit id."""
        if revision.startswith("-"):
            raise HistoryUnavailable(f'"{revision}" is not a revision', hint="name a branch, a tag or a commit id")
        try:
            return self._run("rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}").decode().strip()
        except HistoryUnavailable:
            hint = "name a branch, a tag or a commit id (git log --oneline lists them)"
            if self.shallow:
                hint = "this clone is shallow and may not have it: git fetch --unshallow (in CI: fetch-depth: 0)"
            raise HistoryUnavailable(f'"{revision}" is not a commit in {self.top}', hint=hint) from None

    def last_commit_before(self, moment: dt.datetime) -> str | None:
        """The commit HEAD was at just before `moment` (first-parent), or None."""
        out = self._run("rev-list", "-1", "--first-parent", f"--before={moment.isoformat()}", "HEAD").decode().strip()
        return out or None

    def merge_base(self, one: str, other: str) -> str | None:
        try:
            return self._run("merge-base", one, other).decode().strip() or None
        except HistoryUnavailable:
            return None

    def oldest_date(self) -> dt.datetime | None:
        """Date of the oldest commit this clone holds (a shallow clone's boundary)."""
        if not self.boundaries:
            return None
        out = self._run("show", "-s", "--format=%cI", *sorted(self.boundaries)).decode().split()
        return min(dt.datetime.fromisoformat(text) for text in out) if out else None

    def log(self, revisions: list[str], paths: Iterable[str] = ("",), *, author: str | None = None, body: bool = False,
            max_count: int | None = None) -> list[LoggedCommit]:
        """Commits (newest first) that changed the given kb-relative paths, each with its
        files: one `git log --raw` pass. Merge commits list no files (their changes are
        in the commits they merge)."""
        args = ["log", *LOG_OPTIONS, "--raw", f"--format={FORMAT_BODY if body else FORMAT}"]
        if author:
            args += ["--regexp-ignore-case", "--fixed-strings", f"--author={author}"]
        if max_count:
            args.append(f"--max-count={max_count}")
        args += [*revisions, "--", *(self.pathspec(p) for p in paths)]
        return parse_log(self._run(*args).decode("utf-8", errors="replace"), body, self.boundaries, self._relative)

    def log_in_background(self, revisions: list[str], paths: Iterable[str] = ("",)) -> Callable[[], list[LoggedCommit]]:
        """Start `log` in a thread and return the function that waits for its result:
        git walks the history on one core while the caller parses on the other."""
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=1)
        future = pool.submit(self.log, revisions, tuple(paths))
        pool.shutdown(wait=False)
        return future.result

    def diff(self, base: str | None, head: str, paths: Iterable[str] = ("",)) -> list[FileChange]:
        """Files that differ between two commits (base None: the empty tree)."""
        base_tree = base or self.empty_tree()
        out = self._run("diff-tree", "-r", "-z", "--no-abbrev", "--no-renames", "--no-textconv", "--no-ext-diff", base_tree, head,
                        "--", *(self.pathspec(p) for p in paths))
        return list(parse_raw(out.decode("utf-8", errors="replace"), self._relative))

    def empty_tree(self) -> str:
        return self._run("hash-object", "-t", "tree", os.devnull).decode().strip()

    def grep_files(self, revision: str, words: Iterable[str], folder: str) -> list[str]:
        """kb-relative paths of files under `folder` at `revision` containing any word."""
        patterns = [arg for word in words for arg in ("-e", word)]
        if not patterns:
            return []
        try:
            out = self._run("grep", "-l", "-z", "-F", "-w", *patterns, revision, "--", self.pathspec(folder))
        except HistoryUnavailable:  # git grep exits 1 when nothing matches
            return []
        paths = []
        for item in out.decode("utf-8", errors="replace").split("\0"):
            _, _, path = item.partition(":")
            relative = self._relative(path) if item else None
            if relative is not None:
                paths.append(relative)
        return paths

    def paths_in_history(self, globs: Iterable[str]) -> list[str]:
        """kb-relative paths, present or deleted, matching kb-relative glob patterns."""
        specs = [f":(top,glob){self.prefix}{pattern}" for pattern in globs]
        out = self._run("log", "-z", "--no-renames", "--format=", "--name-only", "HEAD", "--", *specs)
        found = {self._relative(path) for path in out.decode("utf-8", errors="replace").replace("\n", "\0").split("\0") if path}
        return sorted(path for path in found if path)

    def blob_ids(self, revision: str, paths: Iterable[str]) -> dict[str, str]:
        """kb-relative path → blob id at a revision, for those of `paths` that exist there."""
        specs = [self.pathspec(p) for p in paths]
        if not specs:
            return {}
        out = self._run("ls-tree", "-r", "-z", "--full-tree", revision, "--", *specs).decode("utf-8", errors="replace")
        found = {}
        for entry in out.split("\0"):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            relative = self._relative(path)
            if len(parts) == 3 and parts[1] == "blob" and relative is not None:
                found[relative] = parts[2]
        return found

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of many blobs from one `git cat-file --batch` process."""
        wanted = sorted({sha for sha in shas if sha})
        if not wanted:
            return {}
        with tempfile.TemporaryFile() as stdin:
            stdin.write(("\n".join(wanted) + "\n").encode())
            stdin.seek(0)
            out = self._run("cat-file", "--batch", stdin=stdin)
        blobs: dict[str, bytes] = {}
        position = 0
        while position < len(out):
            end = out.index(b"\n", position)
            header = out[position:end].split()
            position = end + 1
            if len(header) < 3:  # "<sha> missing"
                continue
            size = int(header[2])
            blobs[header[0].decode()] = out[position:position + size]
            position += size + 1
        return blobs

    # -- writing: transfer commits, export bundles ------------------------------

    def commits_holding(self, paths: Iterable[str], strings: Iterable[str]) -> list[Commit]:
        """Commits of every branch and tag that added, changed or removed the given
        kb-relative files, or added or removed one of the strings anywhere (git's
        pickaxe, -S): the commits whose content still holds them. Newest first."""
        found: dict[str, Commit] = {}
        for commit in (item.commit for item in self.log(["--all"], list(paths))):
            found[commit.sha] = commit
        for text in strings:
            args = ["log", *LOG_OPTIONS, f"--format={FORMAT}", "--all", f"-S{text}", "--", self.pathspec()]
            for item in parse_log(self._run(*args).decode("utf-8", errors="replace"), False, self.boundaries, self._relative):
                found.setdefault(item.commit.sha, item.commit)
        return sorted(found.values(), key=lambda c: c.date, reverse=True)

    def repository_path(self, relative: str) -> str:
        """A kb-relative path as a path from the repository's top."""
        return self.prefix + relative

    def uncommitted(self) -> list[str]:
        """Paths (relative to the kb) with changes not committed: staged, unstaged or untracked."""
        out = self._run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", self.pathspec()).decode("utf-8", errors="replace")
        paths = []
        entries = iter(out.split("\0"))
        for entry in entries:
            if len(entry) < 4:
                continue
            if entry[0] in "RC":  # a rename: the original path follows
                next(entries, None)
            relative = self._relative(entry[3:])
            paths.append(relative if relative is not None else entry[3:])
        return sorted(paths)

    def commit_paths(self, paths: Iterable[str], message: str) -> str:
        """Commit exactly these kb-relative files (nothing else staged goes in); the new commit's id."""
        specs = [self.pathspec(p) for p in paths]
        self._run("add", "--", *specs)
        self._run("commit", "--quiet", "--no-verify", "-m", message, "--", *specs)
        return self._run("rev-parse", "HEAD").decode().strip()

    def head_time(self) -> int:
        """HEAD's committer time, in seconds since the epoch."""
        return int(self._run("show", "-s", "--format=%ct", "HEAD").decode().strip())

    def write_bundle(self, path: Path) -> None:
        """A bundle of every branch and tag (and HEAD), verified: it clones, and
        `git fsck` passes on the clone. HistoryUnavailable when it does not."""
        if self.shallow:
            raise HistoryUnavailable("this clone is shallow: a bundle of it could not be cloned", hint="git fetch --unshallow, then export again")
        self._run("bundle", "create", "--quiet", str(path), "HEAD", "--branches", "--tags")
        self._run("bundle", "verify", "--quiet", str(path))
        with tempfile.TemporaryDirectory(prefix="handover-bundle-") as work:
            clone = Path(work) / "clone"
            self._run("clone", "--quiet", str(path), str(clone))
            checker = self._git_module.Git(str(clone))
            try:
                checker.execute(["git", "fsck", "--full", "--strict"])
            except self._git_module.GitCommandError as exc:
                raise HistoryUnavailable(f"the bundle's clone fails git fsck: {exc.stderr.strip()}") from None


def open_repository(kb_root: Path, display: str | None = None) -> Repository:
    """The repository holding the knowledge base; HistoryUnavailable says why not."""
    return Repository(kb_root, display)


def site_history(kb_root: Path, recent: int = 50) -> SiteHistory | None:
    """The last change of every file of the knowledge base and its newest commits,
    from one `git log` pass; None (the site builds without them) where git cannot
    answer."""
    try:
        repo = open_repository(kb_root)
        logged = repo.log(["HEAD"])
    except HistoryUnavailable as exc:
        log.info("no history on the site: %s", exc.message)
        return None
    last: dict[str, LastChange] = {}
    for item in logged:
        commit = item.commit
        if commit.boundary:
            continue  # its files were not all changed there: older history is missing
        change = LastChange(commit.date, commit.author, commit.sha, commit.subject)
        for file in item.files:
            last.setdefault(file.path, change)
    newest = [item for item in logged if item.files and not item.commit.boundary][:recent]
    return SiteHistory(last, newest, repo.notes())
