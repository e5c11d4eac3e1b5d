"""Regenerate the bundled sample from scikit-learn's copy of the UCI handwritten digits.

Run from the repository root: ``python sample_data/make_digits.py``. The output is
deterministic, so the committed files can be checked against a fresh run.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def main() -> None:
    here = Path(__file__).resolve().parent
    digits = load_digits()
    pixels = digits.data.astype(np.int64)  # 1797 x 64, grey levels 0..16
    target = digits.target
    with open(here / "digits.tsv", "w", newline="\n") as f:
        for row in pixels:
            f.write("\t".join(str(v) for v in row) + "\n")
    with open(here / "digits-meta.tsv", "w", newline="\n") as f:
        f.write("label\tdigit\tname\tink\n")
        for i, (row, t) in enumerate(zip(pixels, target)):
            # label: a unique title per image; ink: total grey level, a numeric column with many values
            f.write(f"{NAMES[t]} #{i}\t{t}\t{NAMES[t]}\t{int(row.sum())}\n")


if __name__ == "__main__":
    main()
