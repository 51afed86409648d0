"""The only way coursekit writes trainers' files: round-trip YAML that keeps comments, and atomic replaces."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def round_trip() -> YAML:
    """A ruamel.yaml instance that keeps comments, key order, quoting and blank lines."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap trainers' long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_round_trip(path: Path) -> Any:
    """Read a YAML file keeping everything needed to write it back unchanged."""
    return round_trip().load(path.read_text(encoding="utf-8"))


def dump_round_trip(data: Any) -> str:
    """Serialise round-trip data to text."""
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write via a temporary file in the same folder, then rename: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
