"""The error tree of projector.

Every error a user can cause derives from :class:`ProjectorError`; the CLI prints its
message as ``Error: ...`` and exits 1. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os


class ProjectorError(Exception):
    """Base class for errors caused by input data or arguments, not by bugs."""


class InputError(ProjectorError):
    """A file that cannot be read as asked, with the place of the problem where there is one.

    Parameters
    ----------
    message : str
        What is wrong and, where possible, what to do about it.
    path : str or os.PathLike, optional
        The file; ``"<stdin>"`` for standard input.
    line : int, optional
        1-based line number.
    column : int, optional
        1-based column (field) number for tab-separated files.

    Examples
    --------
    >>> str(InputError("expected 3 values, found 2", path="v.tsv", line=4))
    'v.tsv:4: expected 3 values, found 2'
    >>> str(InputError("'x' is not a number", path="v.tsv", line=2, column=5))
    "v.tsv:2: column 5: 'x' is not a number"
    """

    def __init__(
        self,
        message: str,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else os.fspath(path)
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        if self.column is not None:
            where += f"column {self.column}: "
        return where + self.message


class MetadataError(InputError):
    """Metadata that does not fit the vectors (row counts, unknown columns)."""


class ParameterError(ProjectorError, ValueError):
    """A parameter value that the data or the method cannot take."""


class ResourceError(ProjectorError, MemoryError):
    """Work that would need more memory than the machine has free: refused before it starts."""


class MissingDependencyError(ProjectorError, ImportError):
    """An optional package that a feature needs is not installed."""

    def __init__(self, package: str, extra: str | None = None, feature: str = "") -> None:
        fix = f"pip install 'projector[{extra}]'" if extra else f"pip install {package}"
        what = f" for {feature}" if feature else ""
        super().__init__(f"{package} is needed{what} but is not installed: run `{fix}`")
