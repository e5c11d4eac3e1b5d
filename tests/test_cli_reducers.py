"""`projector tsne|umap|custom|neighbors` end to end: outputs, summaries, messages, exit codes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

FAST = ["--iterations", "150"]


def test_tsne_writes_a_table_and_reports_its_choices(run, files, tmp_path):
    r = run("tsne", files["vectors"], "-m", files["meta"], "-o", "t.tsv", "--dims", "3", *FAST)
    assert r.exit_code == 0, r.output
    table = pd.read_csv(tmp_path / "t.tsv", sep="\t")
    assert table.columns.tolist() == ["t-SNE 1", "t-SNE 2", "t-SNE 3", "name", "group", "score"]
    assert len(table) == 300
    assert "t-SNE: 3D, perplexity 30, euclidean, learning rate auto (N/12 = 25, then N = 300)" in r.stderr
    assert "gradient: Barnes-Hut (FFT interpolation works in 2D only)" in r.stderr
    assert "seed 42" in r.stderr and "spherize: off (auto: 8 dims < 50, as in TensorFlow)" in r.stderr


def test_tsne_default_output_and_json(run, files, tmp_path):
    r = run("tsne", files["vectors"], "--json", *FAST)
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout)
    assert record["method"] == "tsne" and record["params"]["perplexity"] == 30
    assert record["output"] == "vectors-tsne.html" and (tmp_path / "vectors-tsne.html").exists()


def test_tsne_perplexity_note_and_sample(run, files, tmp_path):
    r = run("tsne", files["vectors"], "-m", files["meta"], "--sample", "40", "--stratify", "group",
            "--perplexity", "50", "-o", "s.csv", *FAST)
    assert r.exit_code == 0, r.output
    assert "note: perplexity lowered from 50 to 13: 40 points allow at most (40 - 1) / 3" in r.stderr
    assert "fitted on 40 sampled points, the other 260 placed by transform" in r.stderr
    assert len(pd.read_csv(tmp_path / "s.csv")) == 300


@pytest.mark.parametrize("method", ["tsne", "umap"])
def test_sample_is_automatic_above_the_measured_size(run, files, tmp_path, monkeypatch, method):
    """Above the full-fit limit a sample is fitted and the rest placed, said before the work
    starts; --sample all fits every point whatever the size."""
    if method == "umap":
        pytest.importorskip("umap")
    import projector._scale as scale

    key = "TSNE" if method == "tsne" else "UMAP"
    monkeypatch.setattr(scale, f"{key}_FULL_FIT_MAX", 200)
    monkeypatch.setattr(scale, f"{key}_AUTO_SAMPLE", 120)
    fast = FAST if method == "tsne" else []
    r = run(method, files["vectors"], "-m", files["meta"], "--stratify", "group", "-o", "a.tsv", "--json", *fast)
    assert r.exit_code == 0, r.output
    name = "t-SNE" if method == "tsne" else "UMAP"
    note = (f"note: {name} fitted on a 120-point sample and placed the other 180 points: automatic "
            f"above 200 points")
    assert note in r.stderr
    assert r.stderr.index(note) < r.stderr.index("fitted on 120 sampled points, the other 180 placed by transform")
    assert json.loads(r.stdout)["params"]["sample"] == 120
    assert len(pd.read_csv(tmp_path / "a.tsv", sep="\t")) == 300
    r = run(method, files["vectors"], "--sample", "all", "-o", "b.tsv", "--json", *fast)
    assert r.exit_code == 0, r.output
    assert "note:" not in r.stderr and json.loads(r.stdout)["params"]["sample"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--sample", "all", "--stratify", "group"], 2, "--stratify goes with --sample N or auto"),
        (["--sample", "3"], 2, "the sample needs at least 4 points"),
        (["--sample", "some"], 2, "'some' is neither a number of points, 'auto' nor 'all'"),
        (["--sample", "50", "--stratify", "nope"], 1, "Error: --stratify: no metadata column 'nope'"),
        (["--perplexity", "0"], 2, "Invalid value for '--perplexity'"),
        (["--seed", "abc"], 2, "'abc' is neither a whole number nor 'random'"),
        (["--learning-rate", "-3"], 2, "the learning rate must be positive"),
        (["--metric", "manhattan"], 2, "Invalid value for '--metric'"),
    ],
)
def test_tsne_errors(run, files, args, code, message):
    r = run("tsne", files["vectors"], "-m", files["meta"], *args)
    assert r.exit_code == code, r.output
    assert message in r.stderr


def test_tsne_too_few_points(run, tmp_path):
    v = tmp_path / "v.tsv"
    v.write_text("1\t2\n3\t4\n5\t7\n")
    r = run("tsne", v)
    assert r.exit_code == 1 and r.stderr.endswith("Error: t-SNE needs at least 4 points; the data has 3\n")


def test_umap_command(run, files, tmp_path):
    pytest.importorskip("umap")
    r = run("umap", files["vectors"], "-m", files["meta"], "-o", "u.tsv", "--neighbors", "10")
    assert r.exit_code == 0, r.output
    assert "UMAP: 2D, 10 neighbours, min dist 0.1, euclidean, seed 42, 1 thread" in r.stderr
    assert pd.read_csv(tmp_path / "u.tsv", sep="\t").columns[:2].tolist() == ["UMAP 1", "UMAP 2"]


def test_umap_missing_dependency_exits_1(run, files, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "umap", None)
    r = run("umap", files["vectors"])
    assert r.exit_code == 1
    assert "Error: umap-learn is needed for projector umap but is not installed: run `pip install 'projector[umap]'`" in r.stderr


def test_custom_command(run, files, tmp_path):
    r = run("custom", files["vectors"], "-m", files["meta"], "--left", "group-0", "--right", "group-1",
            "--up", "group-2", "--down", "group-", "--search-by", "group", "-o", "c.tsv")
    assert r.exit_code == 0, r.output
    assert ("custom axes by 'group': matched --left 'group-0': 100, --right 'group-1': 100, "
            "--up 'group-2': 100, --down 'group-': 300") in r.stderr
    table = pd.read_csv(tmp_path / "c.tsv", sep="\t")
    assert table.columns[:2].tolist() == ["x", "y"] and len(table) == 300
    # group-1 points sit right of group-0 points on x
    assert table[table.group == "group-1"].x.mean() > table[table.group == "group-0"].x.mean()


def test_custom_query_without_match(run, files):
    r = run("custom", files["vectors"], "-m", files["meta"], "--left", "^point 1$", "--right", "point 2",
            "--up", "point 3", "--down", "fish", "--regex")
    assert r.exit_code == 1
    assert r.stderr.endswith("Error: --down 'fish' matches no point: no 'name' value contains that regular expression\n")


def test_custom_requires_all_four_queries(run, files):
    r = run("custom", files["vectors"], "-m", files["meta"], "--left", "a")
    assert r.exit_code == 2 and "Missing option '--right'" in r.stderr


def test_neighbors_by_query_table(run, files):
    r = run("neighbors", files["vectors"], "-m", files["meta"], "--query", "point 5", "-k", "3")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "rank\trow\tlabel\tdistance" and len(lines) == 4
    assert [line.split("\t")[0] for line in lines[1:]] == ["1", "2", "3"]
    assert all(line.split("\t")[2].startswith("point ") for line in lines[1:])
    assert "query 'point 5': 1 point by 'name' (equal)" in r.stderr
    assert "3 nearest by cosine distance in the original space, 300 points searched exactly" in r.stderr


def test_neighbors_query_rules_and_ambiguity(run, files):
    r = run("neighbors", files["vectors"], "-m", files["meta"], "--query", "POINT 29", "--by", "name")
    assert r.exit_code == 0 and "(equal ignoring case)" in r.stderr
    r = run("neighbors", files["vectors"], "-m", files["meta"], "--query", "oint 29")
    assert r.exit_code == 1
    listed = "; ".join(f"row {i}: 'point {i}'" for i in [29, *range(290, 299)])
    assert (f"Error: --query 'oint 29' matches 11 points ('name' containing it, ignoring case): "
            f"{listed}; and 1 more. Pick one with --row N, or pass --all-matches") in r.stderr


def test_neighbors_all_matches_json(run, files):
    r = run("neighbors", files["vectors"], "-m", files["meta"], "--query", "oint 29", "--all-matches",
            "--json", "-k", "2", "--metric", "euclidean")
    assert r.exit_code == 0, r.output
    records = json.loads(r.stdout)
    assert [rec["query"]["row"] for rec in records] == [29, *range(290, 300)]
    assert records[0]["query"] == {"row": 29, "label": "point 29"}
    assert set(records[0]["neighbors"][0]) == {"rank", "row", "label", "distance"}
    assert records[0]["metric"] == "euclidean" and records[0]["k"] == 2


def test_neighbors_by_rows_without_metadata(run, files, tmp_path):
    r = run("neighbors", files["vectors"], "--row", "3", "--row", "4", "-k", "2", "-o", "nn.tsv")
    assert r.exit_code == 0, r.output
    lines = (tmp_path / "nn.tsv").read_text().splitlines()
    assert lines[0] == "query_row\tquery\trank\trow\tlabel\tdistance" and len(lines) == 5


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "name the point with --query TEXT or --row N (one of them)"),
        (["--row", "1", "--query", "x"], 2, "name the point with --query TEXT or --row N"),
        (["--query", "x"], 2, "--query searches the metadata: pass --meta"),
        (["--row", "300"], 1, "Error: row 300 does not exist: rows are numbered 0 to 299"),
        (["--row", "1", "-k", "0"], 2, "Invalid value for '-k'"),
    ],
)
def test_neighbors_errors(run, files, args, code, message):
    r = run("neighbors", files["vectors"], *args)
    assert r.exit_code == code, r.output
    assert message in r.stderr
