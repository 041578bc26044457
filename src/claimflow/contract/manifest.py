"""One output folder = one committed result, described by ``manifest.json``.

A writer (a stage command or ``run``) holds the folder lock (:mod:`.lock`), writes all its
outputs into a hidden staging folder ``OUT/.claimflow-txn.<run id>/`` and commits them:

1. the new manifest (every output's name, sha256 of its bytes, rows, fingerprint and the
   content hashes of the inputs it was computed from; and what lets the next run reuse
   parts of it: per-document keys ``doc_keys``, the raw files' ``raw_files`` stats) is
   written into the staging folder;
2. the staging folder is renamed to ``OUT/.claimflow-commit.<run id>/`` — from here on the
   commit is decided and is rolled forward by whoever opens the folder next;
3. each output is renamed into place, then ``manifest.json`` last.

A kill before step 2 leaves the previous result and its manifest untouched (the staging
folder is removed by the next writer); a kill during step 3 leaves a commit folder that the
next reader or writer completes. Readers check every file against the manifest and refuse a
folder whose files do not match it, naming the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from claimflow.contract.lock import folder_lock, is_locked
from claimflow.contract.parquet import fsync_dir, read_fingerprint, remove_stale_temps, row_count
from claimflow.contract.schemas import SPECS
from claimflow.errors import ClaimflowError

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = 1
STAGING = ".claimflow-txn."
COMMITTING = ".claimflow-commit."
OUTPUT_NAMES = tuple(spec.filename for spec in SPECS.values())
RERUN = "re-run claimflow run"
_CHUNK = 1 << 20


class StaleOutput(ClaimflowError):
    """A file of an output folder does not match the folder's manifest."""


# --------------------------------------------------------------------------- hashing
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def content_hash(path: Path) -> str:
    """sha256 of a file's bytes; for a dataset folder, of its part files' names and hashes."""
    path = Path(path)
    if not path.is_dir():
        return sha256_file(path)
    h = hashlib.sha256()
    for part in sorted(path.glob("part-*.parquet")):
        h.update(f"{part.name}\0{sha256_file(part)}\0".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- reading
def read_manifest(folder: Path) -> dict | None:
    """The manifest of ``folder`` or None when it has none (not written by a writer that
    commits: an older claimflow, or files put there by hand)."""
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StaleOutput(f"{path}: unreadable manifest ({exc}); {RERUN}") from None
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), dict):
        raise StaleOutput(f"{path}: not a claimflow manifest; {RERUN}")
    return data


def _mismatch(name: str, folder: Path) -> str:
    return (f"{Path(folder) / name} does not match {MANIFEST} (written by another run or "
            f"changed since); {RERUN}")


def entry_problem(folder: Path, manifest: dict, name: str, digest: str | None = None) -> str | None:
    """Why output ``name`` of ``folder`` cannot be trusted, or None: missing, different bytes
    than the manifest says, or computed from another version of a sibling input."""
    folder = Path(folder)
    entry = manifest["outputs"].get(name)
    path = folder / name
    if entry is None:
        return (f"{path} is not in {MANIFEST} (written by another run or put there by hand); "
                f"{RERUN}")
    if not path.exists():
        return f"{path} is listed in {MANIFEST} but missing; {RERUN}"
    if (digest or content_hash(path)) != entry.get("sha256"):
        return _mismatch(name, folder)
    for source, sha in entry.get("inputs", {}).items():
        other = manifest["outputs"].get(source)
        if other is not None and other.get("sha256") != sha:
            return (f"{path} is stale: it was computed from another {source} than the one "
                    f"in {MANIFEST}; {RERUN}")
    return None


def verify_folder(folder: Path, names: tuple[str, ...] = OUTPUT_NAMES) -> dict | None:
    """Check every output of ``folder`` against its manifest; raise :class:`StaleOutput`
    naming the first file that does not match. Returns the manifest (None: no manifest)."""
    folder = Path(folder)
    complete_interrupted_commit(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        if any((folder / n).exists() for n in names):
            log.info("%s: no %s; outputs not verified", folder, MANIFEST)
        return None
    listed = set(manifest["outputs"])
    for name in sorted(listed | {n for n in names if (folder / n).exists()}):
        problem = entry_problem(folder, manifest, name)
        if problem:
            raise StaleOutput(problem)
    return manifest


def _snapshot(folder: Path, names) -> tuple:
    out = []
    for name in (MANIFEST, *names):
        try:
            st = (Path(folder) / name).stat()
            out.append((name, st.st_ino, st.st_size, st.st_mtime_ns))
        except FileNotFoundError:
            out.append((name, None))
    return tuple(out)


def read_consistent(folder: Path, read, names: tuple[str, ...] = OUTPUT_NAMES, tries: int = 5):
    """``read(folder)`` between two identical snapshots of a verified folder: a commit that
    lands while reading makes us read again, so the result is one committed set."""
    for _ in range(tries):
        before = _snapshot(folder, names)
        verify_folder(folder, names)
        result = read(folder)
        if _snapshot(folder, names) == before:
            return result
        time.sleep(0.05)
    raise StaleOutput(f"{folder}: outputs keep changing while being read (a run is writing)")


def verify_input(path: Path) -> str:
    """Content hash of an input file, checked against the manifest of its folder (when
    there is one): a replaced, deleted or stale input is refused with one line."""
    path = Path(path)
    folder = path.parent
    complete_interrupted_commit(folder)
    if not path.exists():
        raise ClaimflowError(f"{path}: no such file")
    digest = content_hash(path)
    manifest = read_manifest(folder)
    if manifest is not None:
        problem = entry_problem(folder, manifest, path.name, digest)
        if problem:
            raise StaleOutput(problem)
    return digest


# --------------------------------------------------------------------------- committing
def _move_into_place(src: Path, dst: Path, aside: Path) -> None:
    if dst.is_dir() or (dst.exists() and src.is_dir()):
        os.replace(dst, aside)  # a dataset folder cannot be replaced by rename
    os.replace(src, dst)


def _roll_forward(commit_dir: Path) -> None:
    folder = commit_dir.parent
    names = sorted(p.name for p in commit_dir.iterdir()
                   if p.name != MANIFEST and not p.name.startswith("."))
    for name in names:
        _move_into_place(commit_dir / name, folder / name, commit_dir / f".{name}.old")
    if (commit_dir / MANIFEST).exists():
        os.replace(commit_dir / MANIFEST, folder / MANIFEST)
    fsync_dir(folder)
    shutil.rmtree(commit_dir, ignore_errors=True)


def complete_interrupted_commit(folder: Path, timeout: float = 30.0) -> None:
    """Finish a commit that a killed writer left half done (no-op when there is none).

    A commit folder beside a held lock belongs to a writer committing right now: wait for
    it. Otherwise take the lock and roll the commit forward.
    """
    folder = Path(folder)
    deadline = time.monotonic() + timeout
    while list(folder.glob(COMMITTING + "*")):
        if is_locked(folder):
            if time.monotonic() > deadline:
                raise StaleOutput(f"{folder}: a run is committing its outputs; try again")
            time.sleep(0.05)
            continue
        try:
            with folder_lock(folder):
                for commit_dir in sorted(folder.glob(COMMITTING + "*")):
                    log.warning("%s: completing the commit of an interrupted run", folder)
                    _roll_forward(commit_dir)
        except OSError as exc:
            raise StaleOutput(
                f"{folder}: a run was interrupted while committing and the folder is not "
                f"writable to complete it ({exc}); {RERUN}"
            ) from None


def remove_leftovers(folder: Path) -> None:
    """Delete staging folders and temporary files of earlier, dead writers (call it holding
    the lock: then no other writer can be using them)."""
    folder = Path(folder)
    for tmp in folder.glob(STAGING + "*"):
        shutil.rmtree(tmp, ignore_errors=True)
    for name in (*OUTPUT_NAMES, MANIFEST):
        remove_stale_temps(folder / name, only_dead=False)


class Transaction:
    """The outputs one command writes into a folder, committed together (or not at all)."""

    def __init__(self, folder: Path, info: dict, meta: dict):
        self.folder = Path(folder)
        self.run_id = uuid.uuid4().hex[:16]
        self.info, self.meta = info, meta
        self.staging = self.folder / f"{STAGING}{self.run_id}"
        self.staging.mkdir()
        self.previous = read_manifest(self.folder) or {"outputs": {}}
        self._entries: dict[str, dict] = {}
        self._hashes: dict[tuple, str] = {}
        self._decided = False

    # ---- paths
    def staged(self, name: str) -> Path:
        """Where this run writes output ``name`` before the commit."""
        return self.staging / name

    def target(self, name: str) -> Path:
        return self.folder / name

    def current(self, name: str) -> Path:
        """The version of ``name`` a later stage of this run reads: the staged one if this
        run wrote it, else the committed one."""
        return self.staged(name) if name in self._entries else self.target(name)

    # ---- inputs
    def key(self, path: Path) -> str:
        """How an input is named in the manifest: its file name when it lives in this folder
        (or was written by this run), else its absolute path."""
        path = Path(path)
        if path.parent.resolve() in (self.folder.resolve(), self.staging.resolve()):
            return path.name
        return str(path.resolve())

    def input_hash(self, path: Path) -> str:
        """Content hash of an input; committed inputs are checked against their folder's
        manifest (a replaced or deleted input is refused), staged ones are this run's own."""
        path = Path(path)
        if path.parent.resolve() == self.staging.resolve():
            return self._hash(path)
        if path.parent.resolve() == self.folder.resolve():
            if not path.exists():
                raise ClaimflowError(f"{path}: no such file")
            digest = self._hash(path)
            if self.previous.get("format"):
                problem = entry_problem(self.folder, self.previous, path.name, digest)
                if problem:
                    raise StaleOutput(problem)
            return digest
        return verify_input(path)

    def _hash(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
        if key not in self._hashes:
            self._hashes[key] = content_hash(path)
        return self._hashes[key]

    def committed_hash(self, name: str) -> str | None:
        """Content hash of the committed ``name`` (None when there is none); unchecked."""
        path = self.target(name)
        return self._hash(path) if path.exists() else None

    # ---- outputs
    def is_current(self, name: str, fingerprint: str, inputs: dict[str, str]) -> bool:
        """True when the committed ``name`` matches the manifest, carries ``fingerprint``
        and was computed from inputs with exactly these content hashes."""
        entry = self.previous["outputs"].get(name)
        path = self.target(name)
        return (
            entry is not None and path.exists() and entry.get("inputs") == inputs
            and read_fingerprint(path) == fingerprint
            and self._hash(path) == entry.get("sha256")
        )

    def record(self, name: str, kind: str, fingerprint: str, inputs: dict[str, str],
               **extra) -> None:
        """Output ``name`` (a ``kind`` table) was written to :meth:`staged`. ``extra``: what
        a later run needs to reuse parts of it (per-document keys, raw file stats), stored
        in its manifest entry."""
        self._entries[name] = {"kind": kind, "fingerprint": fingerprint, "inputs": inputs,
                               **extra}

    def reusable(self, name: str) -> tuple[Path, dict] | None:
        """The committed ``name`` and its manifest entry when a run may reuse its rows: it
        is listed, is a single file and its bytes match the manifest; else None."""
        entry = self.previous["outputs"].get(name)
        path = self.target(name)
        if entry is None or not path.is_file() or self._hash(path) != entry.get("sha256"):
            return None
        return path, entry

    def commit(self) -> dict:
        """Publish the staged outputs and the new manifest; returns the manifest."""
        outputs = dict(self.previous.get("outputs", {}))
        for name, entry in self._entries.items():
            path = self.staged(name)
            outputs[name] = {
                **entry, "sha256": self._hash(path), "rows": row_count(path),
                "run_id": self.run_id,
            }
        manifest = {
            "format": FORMAT,
            "run_id": self.run_id,
            **self.meta,
            "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "by": self.info,
            "outputs": dict(sorted(outputs.items())),
        }
        tmp = self.staging / f".{MANIFEST}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2, sort_keys=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.staging / MANIFEST)
        fsync_dir(self.staging)
        committing = self.folder / f"{COMMITTING}{self.run_id}"
        os.replace(self.staging, committing)  # the point of no return
        self.staging, self._decided = committing, True
        _roll_forward(committing)
        return manifest

    def abort(self) -> None:
        """Drop what was staged; a decided commit is left for the next opener to finish."""
        if not self._decided:
            shutil.rmtree(self.staging, ignore_errors=True)


@contextlib.contextmanager
def transaction(folder: Path, meta: dict, wait: bool = False) -> Iterator[Transaction]:
    """Lock ``folder``, finish or clean up what earlier runs left, and yield a transaction;
    its outputs are published only by an explicit :meth:`Transaction.commit`."""
    folder = Path(folder)
    with folder_lock(folder, wait) as info:
        for commit_dir in sorted(folder.glob(COMMITTING + "*")):
            log.warning("%s: completing the commit of an interrupted run", folder)
            _roll_forward(commit_dir)
        remove_leftovers(folder)
        txn = Transaction(folder, info, meta)
        try:
            yield txn
        finally:
            txn.abort()
