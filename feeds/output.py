"""Writing generated files: inside the output folder only, atomically, and only on change."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class UnsafePathError(ValueError):
    """A name derived from remote data would leave the output folder."""


class OutputError(RuntimeError):
    """A file or folder could not be written; the message names it and the system's reason."""


def make_folder(path: str | Path) -> Path:
    """``path`` as an existing folder (created with its parents), or :class:`OutputError`."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_cannot("create folder", exc.filename or path, exc)) from exc
    return path


def _cannot(action: str, path: str | Path, exc: OSError) -> str:
    return f"cannot {action} {path}: {exc.strerror or exc}"


def safe_path(root: str | Path, *parts: str) -> Path:
    """``root/parts…``, refused when any part is empty, absolute, ``..`` or leads outside."""
    base = Path(root).resolve()
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise UnsafePathError(f"refusing unsafe file name {part!r} under {base}")
    target = base.joinpath(*parts).resolve()
    if base != target and base not in target.parents:
        raise UnsafePathError(f"refusing {target}: it is outside {base}")
    return target


def write_if_changed(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written.

    The write goes to a temporary file in the same folder, is flushed to disk, then renamed
    over the target, so a reader or web server sees the old file or the new one, never half:
    a failed write (a full disk, a read-only folder) leaves the old file as it was and raises
    :class:`OutputError` naming the file.
    """
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise OutputError(_cannot("read", path, exc)) from exc
    make_folder(path.parent)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(_cannot("write", path, exc)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(_cannot("write", path, exc)) from exc
        raise
    return True
