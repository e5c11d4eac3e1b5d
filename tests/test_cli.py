"""`projector pca` end to end: outputs, summary, exact error messages and exit codes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from projector import cli


def test_sample_when_no_input_and_stdin_is_a_terminal(run, tmp_path):
    r = run("pca")
    assert r.exit_code == 0, r.output
    assert "no input given: using the bundled sample (1,797 handwritten digits" in r.stderr
    assert (tmp_path / "digits-pca.html").stat().st_size > 1_000_000
    assert "read " in r.stderr and "1,797 points x 64 dims" in r.stderr
    assert "spherize: on (auto: 64 dims >= 50, as in TensorFlow)" in r.stderr
    assert "shown: PC1 (14.9%), PC2 (14.0%); 29.0% of the variance in total" in r.stderr
    assert "colour by digit (categorical, 10 values); label by label" in r.stderr
    assert "wrote digits-pca.html (" in r.stderr
    assert r.stdout == ""


def test_default_output_name_is_stem_dash_method(run, files, tmp_path):
    r = run("pca", files["vectors"], "--meta", files["meta"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "vectors-pca.html").exists()
    assert "metadata header: yes" in r.stderr and "vectors header: no" in r.stderr


@pytest.mark.parametrize("ext", ["html", "png", "svg", "pdf", "tsv", "csv"])
def test_extension_picks_the_format(run, files, tmp_path, ext):
    r = run("pca", files["vectors"], "-m", files["meta"], "-o", f"out.{ext}", "-q")
    assert r.exit_code == 0, r.output
    assert r.output == ""  # --quiet
    assert (tmp_path / f"out.{ext}").stat().st_size > 0


def test_table_to_stdout_from_a_pipe(run, files):
    r = run("pca", "-o", "-", input=files["vectors"].read_bytes())
    assert r.exit_code == 0, r.output
    table = r.stdout.splitlines()
    assert table[0] == "PC1\tPC2" and len(table) == 301
    assert "read stdin: 300 points x 8 dims" in r.stderr


def test_dash_reads_stdin(run, files, tmp_path):
    r = run("pca", "-", "-o", "x.tsv", input=files["vectors"].read_bytes())
    assert r.exit_code == 0 and (tmp_path / "x.tsv").exists()


def test_dims_components_spherize_and_json(run, files, tmp_path):
    r = run("pca", files["vectors"], "-m", files["meta"], "--components", "2,3,1", "--spherize",
            "-o", "c.tsv", "--json")
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout)
    assert record["params"]["components"] == [2, 3, 1] and record["params"]["spherize"] is True
    assert record["points"] == 300 and len(record["explained_variance_ratio"]) == 8
    assert record["output"] == "c.tsv" and record["format"] == "tsv"
    assert "spherize: on (as asked)" in r.stderr
    cols = pd.read_csv(tmp_path / "c.tsv", sep="\t").columns.tolist()
    assert cols[:3] == ["PC2", "PC3", "PC1"]


def test_colour_and_label_columns(run, files, tmp_path):
    r = run("pca", files["vectors"], "-m", files["meta"], "-c", "score", "-l", "group", "--title", "T")
    assert r.exit_code == 0, r.output
    assert "colour by score (gradient from 0 to 149.5); label by group" in r.stderr
    r = run("pca", files["vectors"], "-m", files["meta"], "-c", "none")
    assert "one colour; label by name" in r.stderr


# Exit 1: bad data, with the exact message.
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1\t2\n3\tx\n", "Error: {v}:2: column 2: 'x' is not a number\n"),
        ("1\t2\n3\n", "Error: {v}:2: expected 2 values (as on the first line), found 1\n"),
        ("", "Error: {v}: is empty\n"),
        ("1,2\n3,4\n", "Error: {v}: does not look tab-separated"),
        ("1\t2\n", "Error: PCA needs at least 2 points; the data has 1\n"),
        ("1\n2\n3\n", "Error: a 2D picture needs 2 principal components, but 3 points in 1 dims have only 1\n"),
    ],
)
def test_bad_vectors_exit_1_with_a_located_message(run, tmp_path, content, message):
    v = tmp_path / "v.tsv"
    v.write_text(content)
    r = run("pca", v)
    assert r.exit_code == 1
    assert r.stderr.endswith(message.format(v=v)) if message.endswith("\n") else message.format(v=v) in r.stderr
    assert "Traceback" not in r.output
    assert not (tmp_path / "v-pca.html").exists()


def test_metadata_mismatch_exit_1(run, files):
    m = files["dir"] / "m.tsv"
    m.write_text("a\tb\n" + "x\ty\n" * 298)
    r = run("pca", files["vectors"], "-m", m)
    assert r.exit_code == 1
    assert f"Error: {m}: has 298 data rows (after the header line) but there are 300 vectors" in r.stderr


def test_multi_column_metadata_without_header_suggests_the_option(run, files):
    m = files["dir"] / "m.tsv"
    m.write_text("x\ty\n" * 300)
    r = run("pca", files["vectors"], "-m", m)
    assert r.exit_code == 1 and "pass --no-meta-header" in r.stderr
    assert run("pca", files["vectors"], "-m", m, "--no-meta-header").exit_code == 0


def test_unknown_colour_column_lists_columns_before_computing(run, files):
    r = run("pca", files["vectors"], "-m", files["meta"], "--color-by", "nope")
    assert r.exit_code == 1
    assert r.stderr.endswith("Error: --color-by: no metadata column 'nope'; the columns are: name, group, score\n")
    assert "PCA:" not in r.stderr


def test_components_beyond_the_data(run, tmp_path):
    v = tmp_path / "v.tsv"
    v.write_text("1\t2\t3\n4\t5\t7\n1\t0\t0\n0\t1\t5\n")
    r = run("pca", v, "--components", "1,4")
    assert r.exit_code == 1
    assert "Error: there is no component 4: 4 points in 3 dims have 3 principal components (1 to 3)" in r.stderr


def test_not_utf8_metadata_names_the_encoding_option(run, files):
    m = files["dir"] / "m.tsv"
    m.write_bytes(("n\n" + "caf\xe9\n" * 300).encode("latin-1"))
    r = run("pca", files["vectors"], "-m", m)
    assert r.exit_code == 1 and f"Error: {m}:2: column 1: byte 0xe9 is not valid UTF-8" in r.stderr
    assert run("pca", files["vectors"], "-m", m, "--encoding", "latin-1").exit_code == 0


def test_empty_pipe_explains_itself(run):
    r = run("pca", input=b"")
    assert r.exit_code == 1 and "Error: <stdin>: is empty: nothing was piped in" in r.stderr


# Exit 2: option misuse, before any data is read.
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dims", "4"], "Invalid value for '--dims': '4' is not one of '2', '3'."),
        (["--components", "1"], "give 2 or 3 components"),
        (["--components", "1,x"], "is not a comma-separated list of numbers"),
        (["--components", "1,11"], "components are numbered 1 to 10"),
        (["--components", "1,1"], "the components must differ"),
        (["--dims", "2", "--components", "1,2,3"], "--dims 2 but --components names 3 components"),
        (["-o", "x.doc"], "cannot tell the format of 'x.doc' from its extension"),
        (["-o", "-", "--json"], "--json and -o - both write to stdout"),
        (["--dpi", "0"], "Invalid value for '--dpi'"),
        (["--bogus"], "--bogus"),
    ],
)
def test_usage_errors_exit_2(run, files, args, message):
    r = run("pca", files["vectors"], *args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr


def test_output_over_an_input_is_refused(run, files):
    r = run("pca", files["vectors"], "-m", files["meta"], "-o", files["meta"])
    assert r.exit_code == 2 and "is an input file; choose another -o path" in r.stderr
    assert files["meta"].read_text().startswith("name\tgroup\tscore")


def test_missing_input_file(run, tmp_path):
    r = run("pca", tmp_path / "nope.tsv")
    assert r.exit_code == 1 and r.stderr.endswith(f"Error: {tmp_path / 'nope.tsv'}: no such file\n")


def test_ctrl_c_exits_130_and_writes_nothing(run, files, tmp_path, monkeypatch):
    import projector.reducers

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(projector.reducers, "pca", interrupted)
    r = run("pca", files["vectors"], "-o", "x.html")
    assert r.exit_code == 130 and "Interrupted: nothing was written." in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_version_and_module_entry_point():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "projector", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("projector 0.")


def test_stdin_detection_uses_isatty(monkeypatch):
    class Pipe:
        def isatty(self):
            return False

    monkeypatch.setattr("sys.stdin", Pipe())
    assert cli._stdin_is_terminal() is False


def test_sample_flag_for_scripts(run, tmp_path):
    r = run("pca", "--demo", "-o", "s.tsv", input=b"")
    assert r.exit_code == 0 and "using the bundled sample" in r.stderr
    assert len((tmp_path / "s.tsv").read_text().splitlines()) == 1798
    r = run("pca", "--demo", "v.tsv")
    assert r.exit_code == 2 and "--demo takes no VECTORS or --meta" in r.stderr
