"""Writing generated files: inside the output folder only, atomically, and only on change."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class UnsafePathError(ValueError):
    """A name derived from remote data would leave the output folder."""


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
    over the target, so a reader or web server sees the old file or the new one, never half.
    """
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    return True
