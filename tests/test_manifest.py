"""Run manifests and `projector reproduce`."""

from __future__ import annotations

import json
import re

from projector.manifest import FORMAT, changed_inputs, file_record


def test_manifest_records_inputs_settings_versions_and_timings(run, files, tmp_path):
    r = run("tsne", files["vectors"], "-m", files["meta"], "-o", "t.tsv", "--iterations", "100",
            "--perplexity", "20", "--manifest", "run.json")
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "run.json").read_text())
    assert doc["format"] == FORMAT and doc["command"] == "tsne"
    assert doc["options"]["perplexity"] == 20 and doc["options"]["iterations"] == 100
    assert doc["result"]["params"]["seed"] == 42 and doc["result"]["params"]["gradient"] == "bh"
    (vec, meta) = doc["inputs"]
    assert vec["role"] == "vectors" and vec["path"] == str(files["vectors"]) and len(vec["sha256"]) == 64
    assert meta["bytes"] == files["meta"].stat().st_size
    assert {"python", "numpy", "openTSNE"} <= set(doc["versions"])
    assert set(doc["timings"]) == {"load", "reduce", "total"}
    assert doc["output"] == {"output": "t.tsv", "format": "tsv", "bytes": (tmp_path / "t.tsv").stat().st_size}


def test_reproduce_gives_the_same_coordinates(run, files, tmp_path):
    assert run("tsne", files["vectors"], "-o", "a.tsv", "--iterations", "100", "--manifest", "m.json").exit_code == 0
    r = run("reproduce", "m.json", "-o", str(tmp_path / "b.tsv"))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "a.tsv").read_text() == (tmp_path / "b.tsv").read_text()


def test_reproduce_refuses_changed_inputs_unless_forced(run, files, tmp_path):
    assert run("pca", files["vectors"], "-o", "a.tsv", "--manifest", "m.json").exit_code == 0
    with open(files["vectors"], "a") as f:
        f.write("\t".join(["1"] * 8) + "\n")
    r = run("reproduce", "m.json")
    assert r.exit_code == 1
    assert re.search(r"vectors\.tsv has changed \(its SHA-256 differs\) since the manifest was written; pass --force", r.stderr)
    assert run("reproduce", "m.json", "--force", "-o", str(tmp_path / "c.tsv")).exit_code == 0
    assert len((tmp_path / "c.tsv").read_text().splitlines()) == 302


def test_the_page_carries_its_manifest(run, files, tmp_path):
    assert run("pca", files["vectors"], "-o", "p.html").exit_code == 0
    page = (tmp_path / "p.html").read_text()
    data = json.loads(re.search(r'<script id="projector-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["manifest"]["command"] == "pca" and data["manifest"]["inputs"][0]["role"] == "vectors"


def test_bad_manifests(run, tmp_path):
    (tmp_path / "x.json").write_text('{"a": 1}')
    r = run("reproduce", "x.json")
    assert r.exit_code == 1 and "is not a projector manifest" in r.stderr
    r = run("reproduce", "nope.json")
    assert r.exit_code == 1 and "nope.json: no such file" in r.stderr


def test_folder_inputs_are_hashed_file_by_file(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    record = file_record(tmp_path / "d", "vectors")
    assert [f["path"] for f in record["files"]] == ["a.txt"]
    assert changed_inputs({"inputs": [record]}) == []
    (tmp_path / "d" / "a.txt").write_text("y")
    assert changed_inputs({"inputs": [record]}) == [f"{tmp_path / 'd'} has changed (its SHA-256 differs)"]
