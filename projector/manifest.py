"""Run manifests: what went in, every setting used, versions and timings, so that a
result can be explained and re-made (``projector reproduce manifest.json``)."""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import os
import platform
from typing import Any

from .errors import InputError

FORMAT = "projector-manifest/1"
_LIBRARIES = ("numpy", "pandas", "scipy", "scikit-learn", "openTSNE", "umap-learn", "plotly", "matplotlib",
              "polars", "protobuf")  # fmt: skip


def sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def file_record(path: str | os.PathLike[str], role: str) -> dict[str, Any]:
    """An input file: where it is, its size and its SHA-256 (a folder: every file in it)."""
    p = os.path.abspath(os.fspath(path))
    if os.path.isdir(p):
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs)
        listed = [{"path": os.path.relpath(f, p), "bytes": os.path.getsize(f), "sha256": sha256(f)} for f in files]
        return {"role": role, "path": p, "files": listed}
    return {"role": role, "path": p, "bytes": os.path.getsize(p), "sha256": sha256(p)}


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("projector", *_LIBRARIES):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return versions


def build(command: str, params: dict[str, Any], inputs: list[dict[str, Any]], result: dict[str, Any],
          timings: dict[str, float]) -> dict[str, Any]:
    """A manifest: the command and its options, inputs, the settings actually used, versions."""
    return {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "options": params,
        "cwd": os.getcwd(),
        "inputs": inputs,
        "result": result,
        "versions": library_versions(),
        "threads": os.cpu_count(),
        "timings": {k: round(v, 3) for k, v in timings.items()},
    }


def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a manifest."""
    p = os.fspath(path)
    try:
        doc = json.loads(open(p, encoding="utf-8").read())
    except FileNotFoundError:
        raise InputError("no such file", path=p) from None
    except (ValueError, UnicodeDecodeError) as e:
        raise InputError(f"is not valid JSON: {e}", path=p) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"is not a projector manifest (no \"format\": \"{FORMAT}\")", path=p)
    return doc


def changed_inputs(manifest: dict[str, Any]) -> list[str]:
    """The inputs that are missing or differ from the manifest, in words."""
    problems = []
    for record in manifest.get("inputs", []):
        path = record["path"]
        if not os.path.exists(path):
            problems.append(f"{path} is missing")
            continue
        now = file_record(path, record["role"])
        if now.get("sha256") != record.get("sha256") or now.get("files") != record.get("files"):
            problems.append(f"{path} has changed (its SHA-256 differs)")
    return problems
