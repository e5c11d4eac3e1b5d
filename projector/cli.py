"""The ``projector`` command: thin wrappers that parse options, call the library, report.

Only this module imports click. Everything heavy is imported inside the commands, so
``projector --help`` starts as fast as click itself.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "terminal_width": 88, "max_content_width": 88}
SAMPLE_NOTE = "1,797 handwritten digits, 8x8 pixels, with label, digit, name and ink columns"


def _stdin_is_terminal() -> bool:
    return sys.stdin is None or sys.stdin.isatty()


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


class Reporter:
    """The run summary on stderr (silent with --quiet) and the --json record."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.record: dict[str, Any] = {}
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        if not self.quiet:
            click.echo(text, err=True)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


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


def input_options(f: Callable) -> Callable:
    """VECTORS, --meta and the header and encoding overrides."""
    decorators = [
        click.argument("vectors", required=False, type=click.Path(dir_okay=False, allow_dash=True)),
        click.option("--meta", "-m", "meta", type=click.Path(dir_okay=False),
                     help="Metadata TSV, one row per vector (a header row when it has several columns)."),
        click.option("--meta-header/--no-meta-header", default=None,
                     help="Whether the metadata's first line names its columns. [default: detected]"),
        click.option("--vectors-header/--no-vectors-header", default=None,
                     help="Whether the vectors' first line names their columns. [default: detected]"),
        click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the metadata."),
        click.option("--sample", is_flag=True,
                     help="Use the bundled sample (1,797 handwritten digits), as when no VECTORS "
                          "are given in a terminal; for scripts."),
    ]  # fmt: skip
    for d in reversed(decorators):
        f = d(f)
    return f


def output_options(f: Callable) -> Callable:
    """-o, --format and the look of the picture; --quiet and --json."""
    decorators = [
        click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
                     help="Output file; its extension picks the format (.html .png .svg .pdf .tsv .csv). "
                          "'-' writes a table to stdout. [default: NAME-METHOD.html here]"),
        click.option("--format", "fmt", type=click.Choice(["html", "png", "svg", "pdf", "tsv", "csv"]),
                     help="Output format, overriding the extension."),
        click.option("--color-by", "-c", metavar="COLUMN",
                     help="Metadata column that colours the points; 'none' for one colour. "
                          "[default: the first column with 2 to 50 values]"),
        click.option("--label-by", "-l", metavar="COLUMN",
                     help="Metadata column that titles the hover box. [default: the first text column]"),
        click.option("--title", help="Title of the picture."),
        click.option("--dpi", type=click.IntRange(30, 1200), default=150, show_default=True,
                     help="Resolution of PNG images."),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors."),
        click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout."),
    ]  # fmt: skip
    for d in reversed(decorators):
        f = d(f)
    return f


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


def _resolve_input(vectors: str | None, meta: str | None, sample: bool, reporter: Reporter):
    """The vectors and metadata to read: the given files, stdin, or the bundled sample."""
    if sample and (vectors is not None or meta is not None):
        raise click.UsageError("--sample takes no VECTORS or --meta")
    if vectors is None:
        if not sample and not _stdin_is_terminal():
            return "-", meta, "projector"
        if meta is not None:
            raise click.UsageError("--meta was given without a vectors file")
        from .loaders import sample_paths

        v, m = sample_paths()
        reporter.say(f"no input given: using the bundled sample ({SAMPLE_NOTE}) from {v.parent}")
        return str(v), str(m), "digits"
    if vectors == "-":
        return "-", meta, "projector"
    name = os.path.basename(vectors)
    for ext in (".gz", ".tsv", ".txt", ".tab"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    return vectors, meta, name or "projector"


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
            f"{', '.join(sorted(FORMATS))}, or pass --format"
        )
    target = os.path.realpath(output)
    for p in inputs:
        if p and p != "-" and os.path.exists(p) and os.path.realpath(p) == target:
            raise click.UsageError(f"the output {output!r} is an input file; choose another -o path")
    if os.path.isdir(output):
        raise click.UsageError(f"the output {output!r} is a folder; give a file name")
    return output


def _load(vectors: str, meta: str | None, meta_header, vectors_header, encoding: str, reporter: Reporter):
    from .errors import InputError
    from .loaders import load

    bar = None
    progress = None
    if not reporter.quiet and _stderr_is_terminal() and vectors != "-" and os.path.getsize(vectors) > 64 << 20:
        bar = click.progressbar(length=os.path.getsize(vectors), label="reading vectors", file=sys.stderr)
        bar.__enter__()
        done = [0]

        def progress(now: int, total: int) -> None:
            bar.update(now - done[0])
            done[0] = now

    started = time.perf_counter()
    try:
        dataset = load(vectors, meta, vectors_header=vectors_header, meta_header=meta_header,
                       encoding=encoding, progress=progress)
    except InputError as e:
        if vectors == "-" and e.message == "is empty":
            raise InputError(
                "is empty: nothing was piped in. Give a VECTORS file, or run with no arguments "
                "in a terminal for the bundled sample",
                path="<stdin>",
            ) from None
        raise
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
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


def _check_columns(dataset, color_by: str | None, label_by: str | None) -> None:
    """Refuse unknown --color-by/--label-by columns before any computing."""
    from .style import check_column

    color = _color_option(dataset, color_by)
    if color not in ("auto", None):
        check_column(dataset.metadata, color, "--color-by")
    if label_by is not None:
        check_column(dataset.metadata, label_by, "--label-by")


def _write(dataset, projection, output: str, fmt: str | None, color_by, label_by, title, dpi,
           inputs: tuple[str | None, ...], reporter: Reporter) -> None:
    from .exporters import write

    color = _color_option(dataset, color_by)
    label = "auto" if label_by is None else label_by
    written = write(dataset, projection, output, format=fmt, color_by=color, label_by=label, title=title,
                    dpi=dpi, protect=tuple(p for p in inputs if p and p != "-"))
    if written.styling is not None:
        c = written.styling.colors
        colour = f"colour by {c.column} ({c.description})" if c.column else "one colour"
        reporter.say(f"{colour}; label by {written.styling.label_by or 'row number'}")
        reporter.record.update(color_by=c.column, label_by=written.styling.label_by)
    where = "stdout" if written.path == "-" else written.path
    reporter.say(f"wrote {where} ({_size(written.n_bytes)}, {written.format}) in {reporter.elapsed():.2f} s")
    reporter.record.update(output=written.path, format=written.format, bytes=written.n_bytes,
                           seconds=round(reporter.elapsed(), 3))


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)  # pragma: no cover


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="projector", message="projector %(version)s")
def main() -> None:
    """Look at embeddings: PCA of all of your points, written to an offline page, an image
    or a table, as the TensorFlow Embedding Projector would show them.

    \b
    Examples:
      projector pca                                 # the bundled sample, to digits-pca.html
      projector pca vectors.tsv --meta meta.tsv     # writes vectors-pca.html
      projector pca vectors.tsv -o map.png --color-by genre
      cat vectors.tsv | projector pca -o - > coords.tsv
    """


@main.command(context_settings=CONTEXT)
@input_options
@click.option("--dims", type=click.Choice(["2", "3"]), default=None,
              help="Show 2 or 3 components. [default: 2, or as many as --components names]")
@click.option("--components", callback=_parse_components, metavar="I,J[,K]",
              help="Which of the top 10 components to show, numbered from 1 as in TensorFlow. [default: 1,2 or 1,2,3]")
@click.option("--spherize/--no-spherize", default=None,
              help="Centre the data and scale every vector to unit length first. [default: on when the vectors have 50 or more dims, as in TensorFlow]")
@output_options
@handle_errors
def pca(vectors, meta, meta_header, vectors_header, encoding, sample, dims, components, spherize,
        output, fmt, color_by, label_by, title, dpi, quiet, as_json):
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
    reporter = Reporter(quiet)
    vectors, meta, stem = _resolve_input(vectors, meta, sample, reporter)
    output = _check_output(output, fmt, as_json, stem, "pca", (vectors, meta))

    from .reducers import pca as run_pca

    dataset = _load(vectors, meta, meta_header, vectors_header, encoding, reporter)
    _check_columns(dataset, color_by, label_by)
    started = time.perf_counter()
    projection = run_pca(dataset.vectors, dims=n_dims, components=components, spherize=spherize)
    params = projection.params
    ratio = projection.explained_variance_ratio
    reporter.say(f"spherize: {params['spherize_reason']}")
    shown = ", ".join(projection.axis_titles[c] for c in projection.shown)
    total = sum(ratio[c] for c in projection.shown)
    reporter.say(
        f"PCA: {params['n_components']} components, exact ({params['solver']}), centred, in "
        f"{time.perf_counter() - started:.2f} s"
    )
    reporter.say(f"  shown: {shown}; {100 * total:.1f}% of the variance in total")
    if params["identical_points"]:
        reporter.say("  note: all points are identical, so every coordinate is 0")
    reporter.record.update(
        method="pca", spherize=params["spherize"], components=list(params["components"]),
        solver=params["solver"], explained_variance_ratio=[round(float(r), 6) for r in ratio],
        shown_variance=round(float(total), 6),
    )
    _write(dataset, projection, output, fmt, color_by, label_by, title, dpi, (vectors, meta), reporter)
    if as_json:
        click.echo(json.dumps(reporter.record, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
