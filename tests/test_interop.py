"""TensorBoard and standalone-projector files: read theirs, write ours, and prove ours
against the real TensorBoard server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pandas as pd
import pytest

import projector
from projector.errors import InputError
from projector.exporters.projector_files import export, metadata_tsv

X = np.array([[0.1, 0.2, 0.3], [1.5, -2.0, 3.25], [4.0, 5e-3, -6.0], [7.0, 8.0, 9.0]], dtype=np.float32)
META = pd.DataFrame({"word": ["a", "b", "c", "d"], "count": [1, 2, 3, 4]})


def write_logdir(folder, pbtxt: str, plugin_folder: bool = False):
    target = folder / "plugins" / "org_tensorflow_tensorboard_projector" if plugin_folder else folder
    target.mkdir(parents=True, exist_ok=True)
    np.savetxt(target / "tensor.tsv", X, delimiter="\t", fmt="%.9g")
    (target / "meta.tsv").write_text("word\tcount\na\t1\nb\t2\nc\t3\nd\t4\n")
    (target / "projector_config.pbtxt").write_text(pbtxt)
    return folder


@pytest.mark.parametrize("plugin_folder", [False, True])
def test_reads_a_tensorboard_log_folder(tmp_path, plugin_folder):
    logdir = write_logdir(tmp_path / "run", 'embeddings {\n  tensor_name: "word_embedding:0"\n'
                          '  tensor_path: "tensor.tsv"\n  metadata_path: "meta.tsv"\n}\n', plugin_folder)
    ds = projector.load(logdir)
    np.testing.assert_array_equal(ds.vectors, X)
    assert ds.metadata["word"].tolist() == ["a", "b", "c", "d"]
    assert any("TensorBoard config" in n and "'word_embedding:0'" in n for n in ds.notes)


def test_chooses_the_tensor_and_lists_them(tmp_path):
    logdir = write_logdir(tmp_path, 'embeddings { tensor_name: "a" tensor_path: "tensor.tsv" }\n'
                          'embeddings { tensor_name: "b:0" tensor_path: "tensor.tsv" metadata_path: "meta.tsv" }\n')
    with pytest.raises(InputError, match=r"has 2 embeddings \('a', 'b:0'\); choose one with --tensor"):
        projector.load(logdir)
    assert projector.load(logdir, tensor="b").metadata.columns.tolist() == ["word", "count"]
    with pytest.raises(InputError, match=r"has no embedding 'c'; it has: 'a', 'b:0'"):
        projector.load(logdir, tensor="c")


def test_checkpoint_only_embedding_says_how_to_export(tmp_path):
    logdir = write_logdir(tmp_path, 'model_checkpoint_path: "model.ckpt-100"\nembeddings { tensor_name: "emb" }\n')
    with pytest.raises(InputError, match=r"'emb' is stored only in the checkpoint 'model\.ckpt-100'.*np\.savetxt"):
        projector.load(logdir)


def test_bad_pbtxt_names_the_place(tmp_path):
    logdir = write_logdir(tmp_path, "embeddings { tensor_nam: 'x' }\n")
    with pytest.raises(InputError, match=r"projector_config\.pbtxt: is not a valid projector config: 1:14"):
        projector.load(logdir)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"is a folder with no projector_config\.pbtxt"):
        projector.load(tmp_path / "empty")


def standalone(folder, shape, data: bytes, **extra):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.bytes").write_bytes(data)
    entry = {"tensorName": "t", "tensorShape": shape, "tensorPath": "t.bytes", **extra}
    (folder / "projector_config.json").write_text(json.dumps({"embeddings": [entry]}))
    return folder / "projector_config.json"


def test_reads_a_standalone_config_with_bytes(tmp_path):
    config = standalone(tmp_path / "s", [4, 3], X.astype("<f4").tobytes())
    np.testing.assert_array_equal(projector.load(config).vectors, X)
    config = standalone(tmp_path / "s2", [5, 3], X.astype("<f4").tobytes())
    assert any("tensorShape says 5 points; the file holds 4" in n for n in projector.load(config).notes)


def test_bytes_of_the_wrong_length(tmp_path):
    config = standalone(tmp_path / "s", [4, 3], X.astype("<f4").tobytes()[:-2])
    with pytest.raises(InputError, match=r"t\.bytes: has 46 bytes, not a whole number of rows of 3 float32 values"):
        projector.load(config)
    config = standalone(tmp_path / "s3", [], X.astype("<f4").tobytes())
    with pytest.raises(InputError, match=r"needs its tensorShape \[points, dims\]"):
        projector.load(config)
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(InputError, match='has no "embeddings" list'):
        projector.load(tmp_path / "bad.json")


def test_sprite_is_read_and_checked(tmp_path):
    from PIL import Image

    Image.new("RGB", (20, 20), "red").save(tmp_path / "sprite.png")
    config = standalone(tmp_path, [4, 3], X.astype("<f4").tobytes(),
                        sprite={"imagePath": "sprite.png", "singleImageDim": [10, 10]})
    ds = projector.load(config)
    assert ds.sprite.width == 10 and ds.sprite.image_path == str(tmp_path / "sprite.png")
    assert any("sprite: 20x20 image of 10x10 thumbnails" in n for n in ds.notes)
    config = standalone(tmp_path, [4, 3], X.astype("<f4").tobytes(),
                        sprite={"imagePath": "sprite.png", "singleImageDim": [15, 15]})
    ds = projector.load(config)
    assert ds.sprite is not None and any("1 tiles for 4 points" in n for n in ds.notes)
    config = standalone(tmp_path, [4, 3], X.astype("<f4").tobytes(), sprite={"imagePath": "nope.png", "singleImageDim": [1, 1]})
    assert projector.load(config).sprite is None


def test_metadata_written_by_tensorflow_rules():
    assert metadata_tsv(pd.DataFrame({"w": ["a", "b"]}))[0] == "a\nb\n"
    assert metadata_tsv(pd.DataFrame({"w": ["a", None]}))[0] == "index\tw\n0\ta\n1\t\n"
    assert metadata_tsv(pd.DataFrame({"w": ["a\tb", "c"], "n": [1.5, None]}))[0] == "w\tn\na b\t1.5\nc\t\n"


@pytest.mark.parametrize("to", ["tensorboard", "standalone"])
def test_export_round_trip(tmp_path, to):
    ds = projector.Dataset.from_arrays(X, META)
    layout = projector.pca(ds.vectors)
    files = export(ds, tmp_path / "out", to, name="words", bookmarks=[("pca", layout)])
    back = projector.load(tmp_path / "out" if to == "tensorboard" else tmp_path / "out" / "projector_config.json")
    np.testing.assert_array_equal(back.vectors, X)
    pd.testing.assert_frame_equal(back.metadata, ds.metadata, check_dtype=False)
    states = json.loads((tmp_path / "out" / "words-bookmarks.txt").read_text())
    assert states[0]["selectedProjection"] == "pca" and states[0]["dataSetDimensions"] == [4, 3]
    assert states[0]["projections"][1]["pca-0"] == pytest.approx(float(layout.coords[1, 0]))
    assert len(files) == (5 if to == "tensorboard" else 4)


def test_export_never_overwrites_its_input(tmp_path):
    np.savetxt(tmp_path / "words.tsv", X, delimiter="\t")
    ds = projector.load(tmp_path / "words.tsv")
    with pytest.raises(projector.ParameterError, match="would overwrite the input 'words.tsv'"):
        export(ds, tmp_path, "tensorboard", name="words", protect=(tmp_path / "words.tsv",))


def test_export_command(run, files, tmp_path):
    r = run("export", files["vectors"], "-m", files["meta"], "--to", "standalone", "site", "--bookmark", "pca", "--json")
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout)
    assert record["to"] == "standalone" and record["bookmarks"] == ["pca"]
    assert (tmp_path / "site" / "vectors.bytes").stat().st_size == 300 * 8 * 4
    r = run("export", files["vectors"], "--to", "tensorboard", "logs/run1")
    assert r.exit_code == 0 and "next: tensorboard --logdir" in r.stderr
    r = run("export", files["vectors"], "--to", "nope", "x")
    assert r.exit_code == 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_tensorboard_reads_our_export(tmp_path):
    pytest.importorskip("tensorboard", reason="tensorboard is not installed (pip install 'projector[test]')")
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 7)).astype(np.float32)
    meta = pd.DataFrame({"label": [f"w{i}" for i in range(50)], "group": [f"g{i % 3}" for i in range(50)]})
    ds = projector.Dataset.from_arrays(vectors, meta)
    layout = projector.pca(ds.vectors)
    export(ds, tmp_path / "logs" / "run1", "tensorboard", name="words", bookmarks=[("pca", layout)])
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(tmp_path / "logs"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    base = f"http://127.0.0.1:{port}/data/plugin/projector"

    def get(path: str) -> bytes:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.read()

    try:
        deadline = time.monotonic() + 90
        runs = None
        while time.monotonic() < deadline:
            try:
                runs = json.loads(get("/runs"))
                if runs:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert runs == ["run1"]
        info = json.loads(get("/info?run=run1"))
        assert info["embeddings"][0]["tensorName"] == "words"
        assert info["embeddings"][0]["tensorShape"] == [50, 7]
        tensor = np.frombuffer(get("/tensor?run=run1&name=words"), dtype="<f4").reshape(50, 7)
        np.testing.assert_array_equal(tensor, vectors)
        lines = get("/metadata?run=run1&name=words").decode().splitlines()
        assert lines[0] == "label\tgroup" and lines[1:] == [f"w{i}\tg{i % 3}" for i in range(50)]
        states = json.loads(get("/bookmarks?run=run1&name=words"))
        assert states[0]["selectedProjection"] == "pca" and len(states[0]["projections"]) == 50
        assert states[0]["projections"][7]["pca-1"] == pytest.approx(float(layout.coords[7, 1]))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
