"""The ``projector`` command: thin wrappers that parse options, call the library, report.

Only this module imports click. Everything heavy is imported inside the commands, so
``projector --help`` starts as fast as click itself.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import click

from ._scale import (
    TSNE_AUTO_SAMPLE,
    TSNE_FULL_FIT_MAX,
    UMAP_AUTO_SAMPLE,
    UMAP_FULL_FIT_MAX,
)

CONTEXT = {"help_option_names": ["-h", "--help"], "terminal_width": 88, "max_content_width": 88}
SAMPLE_NOTE = "1,797 handwritten digits, 8x8 pixels, with label, digit, name and ink columns"


def _stdin_is_terminal() -> bool:
    return sys.stdin is None or sys.stdin.isatty()


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


class Reporter:
    """The run summary on stderr (silent with --quiet), the --json record, progress display."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.record: dict[str, Any] = {}
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        if not self.quiet:
            click.echo(text, err=True)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @contextlib.contextmanager
    def progress(self, unit: str = "") -> Iterator[Callable | None]:
        """A progress callback drawing on stderr, or None when stderr is no terminal or --quiet."""
        if self.quiet or not _stderr_is_terminal():
            yield None
            return
        from ._terminal import ProgressLine

        line = ProgressLine(sys.stderr, unit=unit)
        try:
            yield line
        finally:
            line.close()


# ---------------------------------------------------------------- option parsing


def _parse_components(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        comps = tuple(int(x) for x in value.replace(" ", "").split(",") if x)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a comma-separated list of numbers, e.g. 1,2,3") from None
    if len(comps) not in (2, 3):
        raise click.BadParameter(f"give 2 or 3 components, e.g. 1,2 or 1,2,3; got {len(comps)}")
    if len(set(comps)) != len(comps):
        raise click.BadParameter("the components must differ")
    if any(not 1 <= c <= 10 for c in comps):
        raise click.BadParameter("components are numbered 1 to 10 (the top 10 are computed)")
    return comps


def _parse_seed(ctx: click.Context, param: click.Parameter, value: str) -> int | None:
    if value.lower() == "random":
        return None
    try:
        seed = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither a whole number nor 'random'") from None
    if seed < 0:
        raise click.BadParameter("the seed must be 0 or more")
    return seed


def _parse_learning_rate(ctx: click.Context, param: click.Parameter, value: str) -> float | str:
    if value == "auto":
        return value
    try:
        rate = float(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither a number nor 'auto'") from None
    if not rate > 0:
        raise click.BadParameter("the learning rate must be positive")
    return rate


def _parse_sample(ctx: click.Context, param: click.Parameter, value: str) -> int | str:
    if value in ("auto", "all"):
        return value
    try:
        size = int(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither a number of points, 'auto' nor 'all'") from None
    if size < 4:
        raise click.BadParameter("the sample needs at least 4 points")
    return size


def _sample_options(engine: str, full_fit_max: int, auto_size: int) -> Callable:
    return _options(
        click.option("--sample", "fit_sample", default="auto", show_default=True, callback=_parse_sample,
                     metavar="N|auto|all",
                     help=f"Fit on N random points, then place every other point with {engine}'s transform. "
                          f"'auto' fits every point up to {full_fit_max:,} and {auto_size:,} of them above, "
                          f"where that is at least twice as fast (measured: README, Performance); 'all' always "
                          f"fits every point."),
        click.option("--stratify", metavar="COLUMN",
                     help="When fitting on a sample: take each value of this metadata column in proportion."),
    )


def _sampling(method: str, fit_sample: int | str, stratify: str | None):
    """The ``announce`` and strata hooks of a command that may fit on a sample."""
    from . import _scale
    from .reducers._common import resolve_sample

    key = method.replace("-", "").upper()  # "t-SNE" -> TSNE_FULL_FIT_MAX ...
    if stratify and fit_sample == "all":
        raise click.UsageError("--stratify goes with --sample N or auto")

    def announce(dataset) -> str | None:
        full_fit_max, auto_size = getattr(_scale, f"{key}_FULL_FIT_MAX"), getattr(_scale, f"{key}_AUTO_SAMPLE")
        return resolve_sample(fit_sample, dataset.n_points, full_fit_max, auto_size, method)[1]

    def strata(dataset):
        return dataset.metadata[stratify].to_numpy() if stratify else None

    return announce, strata


def _options(*decorators: Callable) -> Callable[[Callable], Callable]:
    def apply(f: Callable) -> Callable:
        for d in reversed(decorators):
            f = d(f)
        return f

    return apply


_vectors_argument = click.argument("vectors", required=False, type=click.Path(allow_dash=True))

input_options = _options(
    _vectors_argument,
    click.option("--meta", "-m", "meta", type=click.Path(dir_okay=False),
                 help="Metadata TSV, one row per vector (a header row when it has several columns)."),
    click.option("--meta-header/--no-meta-header", default=None,
                 help="Whether the metadata's first line names its columns. [default: detected]"),
    click.option("--vectors-header/--no-vectors-header", default=None,
                 help="Whether the vectors' first line names their columns. [default: detected]"),
    click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the metadata."),
    click.option("--format", "vectors_format", type=click.Choice(["tsv", "csv", "npy", "npz", "parquet"]),
                 help="Format of VECTORS. [default: from the extension: .tsv .txt .csv (or .gz of those), "
                      ".npy .npz .parquet]"),
    click.option("--key", metavar="NAME", help="The array of an .npz file, or the vector column of a Parquet file."),
    click.option("--tensor", metavar="NAME",
                 help="With a TensorBoard log folder or a projector_config.json as VECTORS: which embedding."),
    click.option("--demo", "use_sample", is_flag=True,
                 help="Use the bundled sample (1,797 handwritten digits), as when no VECTORS "
                      "are given in a terminal; for scripts."),
)  # fmt: skip

output_options = _options(
    click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
                 help="Output file; its extension picks the format: .html page, .png .svg .pdf image, "
                      ".tsv .csv .parquet .json .npy coordinates. '-' writes a TSV table to stdout. "
                      "[default: NAME-METHOD.html here]"),
    click.option("--output-format", "fmt",
                 type=click.Choice(["html", "png", "svg", "pdf", "tsv", "csv", "parquet", "json", "npy"]),
                 help="Output format, overriding the extension of -o."),
    click.option("--color-by", "-c", metavar="COLUMN",
                 help="Metadata column that colours the points; 'none' for one colour. "
                      "[default: the first column with 2 to 50 values]"),
    click.option("--label-by", "-l", metavar="COLUMN",
                 help="Metadata column that titles the hover box. [default: the first text column]"),
    click.option("--title", help="Title of the picture."),
    click.option("--dpi", type=click.IntRange(30, 1200), default=150, show_default=True,
                 help="Resolution of PNG images."),
    click.option("--page-neighbors", type=click.IntRange(min=0), metavar="K",
                 help="Nearest neighbours (cosine, original space, exact) listed in the page when a point "
                      "is clicked; 0 for none. [default: 10 up to 50,000 points, else 0]"),
    click.option("--manifest", type=click.Path(dir_okay=False),
                 help="Also write a run manifest (inputs with hashes, every setting used, versions, timings) "
                      "to this JSON file; `projector reproduce` re-runs it. Pages always carry one."),
    click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors."),
    click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout."),
)  # fmt: skip


def _spherize_option(default_text: str) -> Callable:
    return click.option("--spherize/--no-spherize", default=None,
                        help=f"Centre the data and scale every vector to unit length first. [default: {default_text}]")  # fmt: skip


_SPHERIZE_AUTO = "on when the vectors have 50 or more dims, as in TensorFlow"
_dims_option = click.option("--dims", type=click.Choice(["2", "3"]), default="2", show_default=True,
                            help="A 2D or 3D map.")  # fmt: skip
_metric_option = click.option("--metric", type=click.Choice(["euclidean", "cosine"]), default="euclidean",
                              show_default=True, help="Distance between the vectors.")  # fmt: skip
_seed_option = click.option("--seed", default="42", show_default=True, callback=_parse_seed,
                            help="Random seed: the same seed gives the same coordinates. 'random' for a new one each run.")  # fmt: skip


def handle_errors(f: Callable) -> Callable:
    """Library errors become ``Error: ...`` and exit 1; Ctrl-C exits 130, no traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import ProjectorError

        try:
            return f(*args, **kwargs)
        except ProjectorError as e:
            raise click.ClickException(str(e)) from None
        except KeyboardInterrupt:
            click.echo("\nInterrupted: nothing was written.", err=True)
            sys.exit(130)

    return wrapper


# ---------------------------------------------------------------- the shared pipeline


def _resolve_input(vectors: str | None, meta: str | None, use_sample: bool, reporter: Reporter):
    """The vectors and metadata to read: the given files, stdin, or the bundled sample."""
    if use_sample and (vectors is not None or meta is not None):
        raise click.UsageError("--demo takes no VECTORS or --meta")
    if vectors is None:
        if not use_sample and not _stdin_is_terminal():
            return "-", meta, "projector"
        if meta is not None:
            raise click.UsageError("--meta was given without a vectors file")
        from .loaders import sample_paths

        v, m = sample_paths()
        reporter.say(f"no input given: using the bundled sample ({SAMPLE_NOTE}) from {v.parent}")
        return str(v), str(m), "digits"
    if vectors == "-":
        return "-", meta, "projector"
    path = os.path.abspath(vectors)
    if os.path.isdir(path) or path.lower().endswith(".json"):
        # a TensorBoard log folder or a projector_config.json: named after its folder
        name = os.path.basename(path if os.path.isdir(path) else os.path.dirname(path))
    else:
        name = os.path.basename(path)
        for ext in (".gz", ".tsv", ".txt", ".tab", ".csv", ".npy", ".npz", ".parquet", ".pq"):
            if name.lower().endswith(ext):
                name = name[: -len(ext)]
    return vectors, meta, name or "projector"


def _refuse_input_as_output(output: str, inputs: tuple[str | None, ...], option: str = "-o") -> None:
    """A usage error when ``output`` is one of the input files (it would be overwritten)."""
    target = os.path.realpath(output)
    if any(p and p != "-" and os.path.exists(p) and os.path.realpath(p) == target for p in inputs):
        raise click.UsageError(f"the output {output!r} is an input file; choose another {option} path")


def _check_output(output: str | None, fmt: str | None, as_json: bool, stem: str, method: str,
                  inputs: tuple[str | None, ...]) -> str:
    """Resolve and check the output path before any data is read (usage errors, exit 2)."""
    from .exporters import FORMATS

    if output is None:
        output = f"{stem}-{method}.{fmt or 'html'}"
    if output == "-":
        if as_json:
            raise click.UsageError("--json and -o - both write to stdout; choose one")
        return output
    if fmt is None and os.path.splitext(output)[1].lower() not in FORMATS:
        raise click.UsageError(
            f"cannot tell the format of {output!r} from its extension; use one of "
            f"{', '.join(sorted(FORMATS))}, or pass --output-format"
        )
    _refuse_input_as_output(output, inputs)
    if os.path.isdir(output):
        raise click.UsageError(f"the output {output!r} is a folder; give a file name")
    return output


def _load(vectors: str, meta: str | None, meta_header, vectors_header, encoding: str, reporter: Reporter,
          vectors_format: str | None = None, key: str | None = None, tensor: str | None = None):
    from .errors import InputError
    from .loaders import load

    large = vectors != "-" and os.path.isfile(vectors) and os.path.getsize(vectors) > 64 << 20
    started = time.perf_counter()
    with reporter.progress(unit=" bytes") as progress:
        try:
            dataset = load(vectors, meta, vectors_header=vectors_header, meta_header=meta_header,
                           encoding=encoding, format=vectors_format, key=key, tensor=tensor,
                           progress=progress if large else None)
        except InputError as e:
            if vectors == "-" and e.message == "is empty":
                raise InputError(
                    "is empty: nothing was piped in. Give a VECTORS file, or run with no arguments "
                    "in a terminal for the bundled sample",
                    path="<stdin>",
                ) from None
            raise
    seconds = time.perf_counter() - started
    shown = "stdin" if vectors == "-" else vectors
    reporter.say(f"read {shown}: {dataset.n_points:,} points x {dataset.n_dims:,} dims in {seconds:.2f} s")
    for note in dataset.notes:
        reporter.say(f"  {note}")
    reporter.record.update(
        vectors=shown, metadata=meta, points=dataset.n_points, dims=dataset.n_dims,
        notes=list(dataset.notes), load_seconds=round(seconds, 3),
    )
    return dataset


def _color_option(dataset, color_by: str | None):
    """--color-by as the library takes it: "auto" when not given, None for 'none'."""
    if color_by is None:
        return "auto"
    if color_by.lower() == "none" and "none" not in dataset.metadata.columns:
        return None
    return color_by


def _check_column(dataset, column: str | None, option: str) -> None:
    from .style import check_column

    if column is not None:
        check_column(dataset.metadata, column, option)


PAGE_NEIGHBORS = 10
PAGE_NEIGHBORS_MAX_POINTS = 50_000


def _page_neighbors(dataset, k: int | None, reporter: Reporter):
    """Every point's nearest neighbours for the page, or None (with the reason said)."""
    if k is None:
        if dataset.n_points > PAGE_NEIGHBORS_MAX_POINTS:
            reporter.say(f"page neighbours: off above {PAGE_NEIGHBORS_MAX_POINTS:,} points "
                         "(exact search of every point costs n^2); --page-neighbors K to compute them")
            return None
        k = PAGE_NEIGHBORS
    if k == 0 or dataset.n_points < 2:
        return None
    import numpy as np

    from .knn import neighbors

    started = time.perf_counter()
    with reporter.progress(unit=" points") as progress:
        result = neighbors(dataset.vectors, np.arange(dataset.n_points), k=k, metric="cosine",
                           progress=progress)
    reporter.say(f"page neighbours: {result.k} per point, cosine, exact, in {time.perf_counter() - started:.1f} s")
    reporter.record.update(page_neighbors=result.k)
    return result


def _write(dataset, projection, output: str, fmt: str | None, color_by, label_by, title, dpi,
           page_neighbors: int | None, inputs: tuple[str | None, ...], reporter: Reporter,
           manifest: dict | None = None) -> None:
    from .exporters import format_for, write

    is_page = output != "-" and format_for(output, fmt) == "html"
    nn = _page_neighbors(dataset, page_neighbors, reporter) if is_page else None
    written = write(dataset, projection, output, format=fmt, color_by=_color_option(dataset, color_by),
                    label_by="auto" if label_by is None else label_by, title=title, dpi=dpi,
                    neighbors=nn, manifest=manifest, protect=tuple(p for p in inputs if p and p != "-"))
    if written.styling is not None:
        c = written.styling.colors
        colour = f"colour by {c.column} ({c.description})" if c.column else "one colour"
        reporter.say(f"{colour}; label by {written.styling.label_by or 'row number'}")
        reporter.record.update(color_by=c.column, label_by=written.styling.label_by)
    where = "stdout" if written.path == "-" else written.path
    per_point = f", {written.n_bytes / dataset.n_points:.1f} bytes a point" if written.format == "html" else ""
    reporter.say(f"wrote {where} ({_size(written.n_bytes)}{per_point}, {written.format}) in {reporter.elapsed():.2f} s")
    reporter.record.update(output=written.path, format=written.format, bytes=written.n_bytes,
                           seconds=round(reporter.elapsed(), 3))


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{int(n):,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)  # pragma: no cover


def _run_projection(method: str, opts: dict[str, Any], reduce: Callable, describe: Callable,
                    columns: dict[str, str | None] | None = None,
                    announce: Callable | None = None) -> None:
    """Input -> load -> reduce -> summary -> write, the same for every projection command.

    ``reduce(dataset, progress)`` returns a Projection; ``describe(projection, reporter)``
    adds its lines to the summary. ``columns`` are extra column options to check after
    loading (option name -> value), before any computing. ``announce(dataset)`` may return
    a note to say before the work starts (a choice made for the user, such as sampling).
    """
    reporter = Reporter(opts["quiet"])
    options = _jsonable(dict(click.get_current_context().params))
    if opts["vectors"] is None and opts["meta"] is None and (opts["use_sample"] or _stdin_is_terminal()):
        options["use_sample"] = True  # what "no input in a terminal" meant, for a re-run anywhere
    vectors, meta, stem = _resolve_input(opts["vectors"], opts["meta"], opts["use_sample"], reporter)
    output = _check_output(opts["output"], opts["fmt"], opts["as_json"], stem, method, (vectors, meta))
    if opts["manifest"] and os.path.realpath(opts["manifest"]) in {os.path.realpath(p) for p in (vectors, meta, output) if p and p != "-"}:
        raise click.UsageError("--manifest must name a file of its own, not an input or the output")
    dataset = _load(vectors, meta, opts["meta_header"], opts["vectors_header"], opts["encoding"], reporter,
                    opts["vectors_format"], opts["key"], opts["tensor"])
    color = _color_option(dataset, opts["color_by"])
    _check_column(dataset, None if color in ("auto", None) else color, "--color-by")
    _check_column(dataset, opts["label_by"], "--label-by")
    for option, value in (columns or {}).items():
        _check_column(dataset, value, option)
    note = announce(dataset) if announce else None
    if note:
        reporter.say(f"note: {note}")
    started = time.perf_counter()
    with reporter.progress() as progress:
        projection = reduce(dataset, progress)
    reduce_seconds = time.perf_counter() - started
    params = projection.params
    reporter.say(f"spherize: {params['spherize_reason']}")
    describe(projection, reporter, time.perf_counter() - started)
    for note in params.get("notes", ()):
        reporter.say(f"  note: {note}")
    reporter.record.update(method=method, params=_jsonable(params))
    from . import manifest as manifests

    inputs = [manifests.file_record(p, role) for p, role in ((vectors, "vectors"), (meta, "metadata")) if p and p != "-"]
    run = manifests.build(method, options, inputs, {"method": method, "params": _jsonable(params)},
                          {"load": reporter.record["load_seconds"], "reduce": reduce_seconds})
    _write(dataset, projection, output, opts["fmt"], opts["color_by"], opts["label_by"], opts["title"],
           opts["dpi"], opts["page_neighbors"], (vectors, meta), reporter, run)
    if opts["manifest"]:
        from .exporters._atomic import atomic_open

        run["timings"]["total"] = round(reporter.elapsed(), 3)
        run["output"] = {k: reporter.record[k] for k in ("output", "format", "bytes")}
        with atomic_open(opts["manifest"]) as f:
            f.write((json.dumps(run, indent=2) + "\n").encode("utf-8"))
        reporter.say(f"wrote the run manifest {opts['manifest']}")
    if opts["as_json"]:
        click.echo(json.dumps(reporter.record, indent=2))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# ---------------------------------------------------------------- commands


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="projector", message="projector %(version)s")
def main() -> None:
    """Look at embeddings as the TensorFlow Embedding Projector shows them, offline and
    on all of your points: PCA, t-SNE, UMAP and custom axes written to an interactive
    page, an image or a table, and nearest neighbours in the original space.

    \b
    Examples:
      projector pca                                 # the bundled sample, to digits-pca.html
      projector pca vectors.tsv --meta meta.tsv     # writes vectors-pca.html
      projector tsne vectors.tsv -m meta.tsv --dims 3 -o map.html
      projector neighbors vectors.tsv -m meta.tsv --query king -k 20
      cat vectors.tsv | projector pca -o - > coords.tsv
    """


@main.command(context_settings=CONTEXT)
@input_options
@click.option("--dims", type=click.Choice(["2", "3"]), default=None,
              help="Show 2 or 3 components. [default: 2, or as many as --components names]")
@click.option("--components", callback=_parse_components, metavar="I,J[,K]",
              help="Which of the top 10 components to show, numbered from 1 as in TensorFlow. [default: 1,2 or 1,2,3]")
@_spherize_option(_SPHERIZE_AUTO)
@output_options
@handle_errors
def pca(dims, components, spherize, **opts):
    """Principal components of every point (exact: no sampling), written as a page,
    an image or a table.

    VECTORS is a TSV of floats, one point per line, with an optional header row; '-'
    reads stdin. With no VECTORS and nothing piped in, the bundled sample is used.
    The summary on stderr gives the variance each shown component explains.

    \b
    Examples:
      projector pca vectors.tsv --meta meta.tsv
      projector pca vectors.tsv -m meta.tsv --dims 3 --color-by label
      projector pca vectors.tsv --components 2,3 -o pc23.png --dpi 300
      projector pca vectors.tsv -m meta.tsv -o coords.csv
    """  # noqa: D301
    n_dims = int(dims) if dims else (len(components) if components else 2)
    if dims and components and len(components) != n_dims:
        raise click.UsageError(f"--dims {dims} but --components names {len(components)} components")

    def reduce(dataset, progress):
        from .reducers import pca as run

        return run(dataset.vectors, dims=n_dims, components=components, spherize=spherize)

    def describe(p, reporter, seconds):
        ratio = p.explained_variance_ratio
        total = sum(ratio[c] for c in p.shown)
        reporter.say(f"PCA: {p.params['n_components']} components, exact ({p.params['solver']}), "
                     f"centred, in {seconds:.2f} s")
        reporter.say(f"  shown: {', '.join(p.axis_titles[c] for c in p.shown)}; "
                     f"{100 * total:.1f}% of the variance in total")
        if p.params["identical_points"]:
            reporter.say("  note: all points are identical, so every coordinate is 0")
        reporter.record.update(explained_variance_ratio=[round(float(r), 6) for r in ratio],
                               shown_variance=round(float(total), 6))

    _run_projection("pca", opts, reduce, describe)


@main.command(context_settings=CONTEXT)
@input_options
@_dims_option
@click.option("--perplexity", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Effective number of neighbours; lowered (with a note) when the data has too few points.")
@click.option("--learning-rate", default="auto", show_default=True, callback=_parse_learning_rate,
              help="Step size; 'auto' is openTSNE's N/12 during early exaggeration, then N.")
@click.option("--iterations", type=click.IntRange(min=0), default=500, show_default=True,
              help="Iterations after the 250 of early exaggeration.")
@click.option("--early-exaggeration", type=click.FloatRange(min=1), default=12.0, show_default=True,
              help="How strongly clusters are pulled together in the first 250 iterations.")
@_metric_option
@_seed_option
@click.option("--threads", type=click.IntRange(min=0), default=0, show_default=True,
              help="Threads to use; 0 for all cores.")
@_sample_options("openTSNE", TSNE_FULL_FIT_MAX, TSNE_AUTO_SAMPLE)
@_spherize_option(_SPHERIZE_AUTO)
@output_options
@handle_errors
def tsne(dims, perplexity, learning_rate, iterations, early_exaggeration, metric, seed, threads,
         fit_sample, stratify, spherize, **opts):
    """t-SNE of every point with openTSNE, in 2D or 3D, written as a page, an image or
    a table. There is no 10,000-point cap; the same seed gives the same coordinates.

    2D uses openTSNE's FFT gradient from 10,000 points up (Barnes-Hut below); 3D always
    uses Barnes-Hut, since the FFT gradient is 2D only. Above a measured size (see
    --sample) it fits a sample and places every other point with openTSNE's transform,
    which is faster there; --sample all fits every point regardless.

    \b
    Examples:
      projector tsne vectors.tsv --meta meta.tsv
      projector tsne vectors.tsv -m meta.tsv --dims 3 --perplexity 50 -o map.html
      projector tsne big.tsv -m meta.tsv --sample 100000 --stratify label -o big.png
    """  # noqa: D301
    announce, strata = _sampling("t-SNE", fit_sample, stratify)

    def reduce(dataset, progress):
        from .reducers import tsne as run

        return run(dataset.vectors, dims=int(dims), perplexity=perplexity, learning_rate=learning_rate,
                   n_iter=iterations, early_exaggeration=early_exaggeration, metric=metric, seed=seed,
                   n_jobs=threads or None, spherize=spherize, sample=fit_sample, strata=strata(dataset),
                   progress=progress)

    def describe(p, reporter, seconds):
        q = p.params
        seed_text = "random" if q["seed"] is None else q["seed"]
        reporter.say(f"t-SNE: {q['dims']}D, perplexity {q['perplexity']:g}, {q['metric']}, "
                     f"learning rate {q['learning_rate']}, {q['early_exaggeration_iter']} + {q['n_iter']} "
                     f"iterations, seed {seed_text}, {q['threads']} threads")
        reporter.say(f"  gradient: {q['gradient_reason']}")
        if q["sample"]:
            reporter.say(f"  fitted on {q['sample']:,} sampled points, the other "
                         f"{p.n_points - q['sample']:,} placed by transform")
        kl = f", KL divergence {q['kl_divergence']:.3f}" if q["kl_divergence"] is not None else ""
        reporter.say(f"  done in {seconds:.1f} s{kl}")

    _run_projection("tsne", opts, reduce, describe, columns={"--stratify": stratify}, announce=announce)


@main.command(context_settings=CONTEXT)
@input_options
@_dims_option
@click.option("--neighbors", "n_neighbors", type=click.IntRange(min=2), default=15, show_default=True,
              help="Size of the local neighbourhood.")
@click.option("--min-dist", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="How tightly points may pack together.")
@_metric_option
@_seed_option
@_sample_options("umap-learn", UMAP_FULL_FIT_MAX, UMAP_AUTO_SAMPLE)
@_spherize_option(_SPHERIZE_AUTO)
@output_options
@handle_errors
def umap(dims, n_neighbors, min_dist, metric, seed, fit_sample, stratify, spherize, **opts):
    """UMAP of every point with umap-learn, in 2D or 3D, written as a page, an image or
    a table. Needs the umap extra: pip install 'projector[umap]'.

    With a seed (the default) umap-learn runs on one thread and repeats exactly;
    --seed random uses every core. Its first run on a machine compiles code (about
    30 s); later runs reuse it.

    \b
    Examples:
      projector umap vectors.tsv --meta meta.tsv
      projector umap vectors.tsv -m meta.tsv --dims 3 --neighbors 30 --min-dist 0.5
      projector umap vectors.tsv -m meta.tsv --seed random -o map.png
    """  # noqa: D301

    announce, strata = _sampling("UMAP", fit_sample, stratify)

    def reduce(dataset, progress):
        from .reducers import umap as run

        return run(dataset.vectors, dims=int(dims), n_neighbors=n_neighbors, min_dist=min_dist,
                   metric=metric, seed=seed, spherize=spherize, sample=fit_sample, strata=strata(dataset),
                   progress=progress)

    def describe(p, reporter, seconds):
        q = p.params
        seed_text = "random" if q["seed"] is None else q["seed"]
        reporter.say(f"UMAP: {q['dims']}D, {q['n_neighbors']} neighbours, min dist {q['min_dist']:g}, "
                     f"{q['metric']}, seed {seed_text}, {q['threads']} thread{'s' if q['threads'] > 1 else ''}, "
                     f"in {seconds:.1f} s")
        if q["sample"]:
            reporter.say(f"  fitted on {q['sample']:,} sampled points, the other "
                         f"{p.n_points - q['sample']:,} placed by transform")

    _run_projection("umap", opts, reduce, describe, columns={"--stratify": stratify}, announce=announce)


@main.command(context_settings=CONTEXT)
@input_options
@click.option("--left", required=True, metavar="QUERY", help="Points at the left end of the x axis.")
@click.option("--right", required=True, metavar="QUERY", help="Points at the right end of the x axis.")
@click.option("--up", required=True, metavar="QUERY", help="Points at the top of the y axis.")
@click.option("--down", required=True, metavar="QUERY", help="Points at the bottom of the y axis.")
@click.option("--search-by", metavar="COLUMN", help="Metadata column the queries search. [default: the first text column]")
@click.option("--regex", is_flag=True, help="Treat the queries as regular expressions (else case-insensitive substrings).")
@_spherize_option(_SPHERIZE_AUTO)
@output_options
@handle_errors
def custom(left, right, up, down, search_by, regex, spherize, **opts):
    """The TensorFlow projector's custom projection: x runs from the points matching
    --left to those matching --right, y from --down to --up.

    Each query selects the points whose --search-by value contains it (ignoring case),
    and their mean original vector is its centroid; x = v . (right - left) and
    y = v . (up - down). A query that matches no point is an error (TensorFlow
    silently uses a random direction).

    \b
    Examples:
      projector custom words.tsv -m meta.tsv --left man --right woman --up king --down queen
      projector custom vectors.tsv -m meta.tsv --search-by label --regex \\
          --left '^(good|great)$' --right '^(bad|awful)$' --up '^old' --down '^new' -o axes.png
    """  # noqa: D301

    def reduce(dataset, progress):
        from .reducers import custom as run

        return run(dataset.vectors, dataset.metadata, left=left, right=right, up=up, down=down,
                   search_by=search_by, regex=regex, spherize=spherize)

    def describe(p, reporter, seconds):
        q = p.params
        counts = ", ".join(f"--{side} {q['queries'][side]!r}: {n:,}" for side, n in q["matches"].items())
        reporter.say(f"custom axes by {q['search_by']!r}{' (regex)' if q['regex'] else ''}: matched {counts}")

    _run_projection("custom", opts, reduce, describe, columns={"--search-by": search_by})


@main.command(context_settings=CONTEXT)
@_vectors_argument
@click.option("--meta", "-m", "meta", type=click.Path(dir_okay=False), help="Metadata TSV, for labels and --query.")
@click.option("--query", metavar="TEXT", help="The point whose --by value is TEXT (or, failing that, contains it).")
@click.option("--by", metavar="COLUMN", help="Column --query searches and labels come from. [default: the first text column]")
@click.option("--row", "rows", type=click.IntRange(min=0), multiple=True, metavar="N",
              help="The point on row N (0-based, as in the coordinates table); repeat for several.")
@click.option("--all-matches", is_flag=True, help="When --query matches several points, list neighbours of each.")
@click.option("-k", type=click.IntRange(min=1), default=10, show_default=True, help="How many neighbours.")
@click.option("--metric", type=click.Choice(["cosine", "euclidean"]), default="cosine", show_default=True,
              help="Distance: cosine is 1 - cos(angle).")
@click.option("--spherize/--no-spherize", default=False, show_default=True,
              help="Compare spherized vectors, as TensorFlow does when its box is ticked. Off: the original space.")
@click.option("--meta-header/--no-meta-header", default=None, help="Whether the metadata's first line names its columns. [default: detected]")
@click.option("--vectors-header/--no-vectors-header", default=None, help="Whether the vectors' first line names their columns. [default: detected]")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the metadata.")
@click.option("--demo", "use_sample", is_flag=True, help="Use the bundled sample (1,797 handwritten digits).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the table to this TSV file instead of stdout.")
@click.option("--json", "as_json", is_flag=True, help="Print the neighbours as JSON instead of a table.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but the results and errors.")
@handle_errors
def neighbors(vectors, meta, query, by, rows, all_matches, k, metric, spherize, meta_header, vectors_header,
              encoding, use_sample, output, as_json, quiet):
    """The k nearest neighbours of a point in the original space, exactly (TensorFlow's
    caption says so, but it searches the spherized vectors; here that is --spherize).

    Name the point with --query (its label) or --row. The table goes to stdout: rank,
    row, label, distance (with the query's row and label first when there are several).

    \b
    Examples:
      projector neighbors words.tsv -m words-meta.tsv --query king
      projector neighbors vectors.tsv --row 17 -k 20 --metric euclidean
      projector neighbors words.tsv -m meta.tsv --query 'new york' --all-matches --json
    """  # noqa: D301
    if (query is None) == (not rows):
        raise click.UsageError("name the point with --query TEXT or --row N (one of them)")
    if query is not None and meta is None and not use_sample and vectors is not None:
        raise click.UsageError("--query searches the metadata: pass --meta")
    if output == "-":
        output = None
    reporter = Reporter(quiet)
    vectors, meta, _ = _resolve_input(vectors, meta, use_sample, reporter)
    if output is not None:
        _refuse_input_as_output(output, (vectors, meta))
    dataset = _load(vectors, meta, meta_header, vectors_header, encoding, reporter)

    from .errors import ParameterError
    from .knn import neighbors as run
    from .search import as_text, default_search_column, find_exact_or_contains

    frame = dataset.metadata
    column = by if by is not None else default_search_column(frame)
    if column is not None:
        _check_column(dataset, column, "--by")
    labels = as_text(frame[column]) if column is not None else [str(i) for i in range(dataset.n_points)]
    if query is not None:
        if column is None:
            raise ParameterError("--query searches the metadata, and there is none: pass --meta")
        found, how = find_exact_or_contains(frame[column], query)
        if len(found) == 0:
            raise ParameterError(f"--query {query!r}: no {column!r} value is or contains it")
        if len(found) > 1 and not all_matches:
            listed = "; ".join(f"row {r}: {labels[r]!r}" for r in found[:10])
            more = f"; and {len(found) - 10:,} more" if len(found) > 10 else ""
            raise ParameterError(
                f"--query {query!r} matches {len(found):,} points ({column!r} {how}): {listed}{more}. "
                "Pick one with --row N, or pass --all-matches"
            )
        query_rows = found
        reporter.say(f"query {query!r}: {len(found):,} point{'s' if len(found) > 1 else ''} by {column!r} ({how})")
    else:
        query_rows = list(rows)
    started = time.perf_counter()
    with reporter.progress(unit=" points") as progress:
        result = run(dataset.vectors, query_rows, k=k, metric=metric, spherize=spherize,
                     progress=progress if dataset.n_points * len(query_rows) > 5_000_000 else None)
    space = "spherized vectors" if spherize else "the original space"
    reporter.say(f"{result.k} nearest by {metric} distance in {space}, {dataset.n_points:,} points searched "
                 f"exactly in {time.perf_counter() - started:.2f} s")
    if result.k < k:
        reporter.say(f"  note: k lowered from {k} to {result.k}: there are {dataset.n_points} points")
    records = [
        {
            "query": {"row": int(q), "label": labels[q]},
            "metric": metric,
            "k": result.k,
            "neighbors": [
                {"rank": rank + 1, "row": int(r), "label": labels[r], "distance": round(float(d), 6)}
                for rank, (r, d) in enumerate(zip(result.indices[i], result.distances[i]))
            ],
        }
        for i, q in enumerate(result.queries)
    ]
    if as_json:
        text = json.dumps(records[0] if len(records) == 1 else records, indent=2, ensure_ascii=False) + "\n"
    else:
        several = len(records) > 1
        head = (["query_row", "query"] if several else []) + ["rank", "row", "label", "distance"]
        lines = ["\t".join(head)]
        for rec in records:
            front = [str(rec["query"]["row"]), _cell(rec["query"]["label"])] if several else []
            for n in rec["neighbors"]:
                lines.append("\t".join(front + [str(n["rank"]), str(n["row"]), _cell(n["label"]),
                                                 f"{n['distance']:.6f}"]))
        text = "\n".join(lines) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        from .exporters._atomic import atomic_open

        with atomic_open(output) as f:
            f.write(text.encode("utf-8"))
        reporter.say(f"wrote {output}")


@main.command(context_settings=CONTEXT)
@input_options
@click.option("--to", "target", nargs=2, required=True, metavar="KIND FOLDER",
              type=(click.Choice(["tensorboard", "standalone"]), click.Path(file_okay=False)),
              help="tensorboard FOLDER: a log folder for `tensorboard --logdir`; standalone FOLDER: the "
                   "projector_config.json, .bytes and metadata the standalone projector loads.")
@click.option("--name", default=None, help="Name of the tensor and stem of its files. [default: the input's name]")
@click.option("--bookmark", "bookmarks", multiple=True, type=click.Choice(["pca", "tsne", "umap"]),
              help="Also compute this layout (default settings) and save it as a bookmark, so the "
                   "TensorFlow projector shows it; repeat for several.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout.")
@handle_errors
def export(vectors, meta, meta_header, vectors_header, encoding, vectors_format, key, tensor, use_sample,
           target, name, bookmarks, quiet, as_json):
    """Write the data as the TensorFlow projector reads it: a TensorBoard log folder or a
    standalone projector bundle, with projector's layouts as bookmarks.

    The metadata follows TensorFlow's header rule (a header row for several columns,
    none for one), so TensorBoard reads back exactly the same rows.

    \b
    Examples:
      projector export vectors.tsv -m meta.tsv --to tensorboard logs/run1
      tensorboard --logdir logs          # then open the Projector tab
      projector export vectors.npy -m meta.tsv --to standalone site/ --bookmark tsne
    """  # noqa: D301
    kind, folder = target
    reporter = Reporter(quiet)
    vectors, meta, stem = _resolve_input(vectors, meta, use_sample, reporter)
    dataset = _load(vectors, meta, meta_header, vectors_header, encoding, reporter, vectors_format, key, tensor)
    from .exporters.projector_files import export as run_export
    from .reducers import REDUCERS

    layouts = []
    for method in bookmarks:
        started = time.perf_counter()
        with reporter.progress() as progress:
            kwargs = {} if method == "pca" else {"progress": progress}
            layouts.append((f"{method} (projector)", REDUCERS[method](dataset.vectors, **kwargs)))
        reporter.say(f"bookmark: {method} computed in {time.perf_counter() - started:.1f} s")
    files = run_export(dataset, folder, kind, name=name or stem, bookmarks=layouts,
                       protect=tuple(p for p in (vectors, meta) if p and p != "-"))
    for f in files:
        reporter.say(f"wrote {f}")
    hint = f"tensorboard --logdir {os.path.dirname(os.path.abspath(folder))}" if kind == "tensorboard" else \
        "serve the folder with the standalone projector and load projector_config.json"
    reporter.say(f"{kind} bundle of {dataset.n_points:,} points in {reporter.elapsed():.2f} s; next: {hint}")
    reporter.record.update(to=kind, folder=folder, files=files, bookmarks=list(bookmarks))
    if as_json:
        click.echo(json.dumps(reporter.record, indent=2))


@main.command(context_settings=CONTEXT)
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write here instead of the manifest's output.")
@click.option("--force", is_flag=True, help="Run even when an input changed since the manifest was written.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@handle_errors
def reproduce(manifest_path, output, force, quiet):
    """Re-run the command a run manifest records (pca, tsne, umap or custom), with the
    same inputs and settings, after checking that the inputs are unchanged.

    \b
    Examples:
      projector tsne vectors.tsv -m meta.tsv -o map.html --manifest map.json
      projector reproduce map.json -o again.html
    """  # noqa: D301
    from . import manifest as manifests
    from .errors import InputError

    doc = manifests.read(manifest_path)
    command = main.commands.get(doc.get("command", ""))
    if command is None or doc["command"] not in ("pca", "tsne", "umap", "custom"):
        raise InputError(f"records the command {doc.get('command')!r}, which cannot be re-run", path=manifest_path)
    options = dict(doc["options"])
    if options.get("vectors") == "-" or (options.get("vectors") is None and not options.get("use_sample")):
        raise InputError("the vectors came from standard input, so the run cannot be repeated", path=manifest_path)
    problems = manifests.changed_inputs(doc)
    if problems and not force:
        raise InputError("; ".join(problems) + " since the manifest was written; pass --force to run anyway",
                         path=manifest_path)  # fmt: skip
    if output is not None:
        options["output"] = output
    options["manifest"] = None
    options["quiet"] = quiet or options.get("quiet", False)
    for param in command.params:  # JSON has lists where click gives tuples
        if isinstance(options.get(param.name), list):
            options[param.name] = tuple(tuple(v) if isinstance(v, list) else v for v in options[param.name])
    cwd = doc.get("cwd") if output is None else None
    previous = os.getcwd()
    if cwd and os.path.isdir(cwd):
        os.chdir(cwd)  # relative paths in the options were relative to it
    try:
        click.get_current_context().invoke(command, **options)
    finally:
        os.chdir(previous)


def _cell(text: str) -> str:
    """A label as one TSV cell: tabs and line breaks would break the table."""
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


if __name__ == "__main__":  # pragma: no cover
    main()
