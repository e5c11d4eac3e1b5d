"""Where fitting a sample and placing the other points becomes the better route.

The rule: every point is fitted until fitting a sample of 100,000 and placing the rest is
twice as fast, measured on the 1,000,000 x 128 benchmark set with ``python
benchmarks/scale.py`` on 2 cores (the "Scale" section of benchmarks/RESULTS.md). A full fit
is the better map, so it keeps the data until sampling saves at least half the time. Kept
free of imports, so that the CLI's help can quote the sizes without loading numpy.
"""

# t-SNE, full fit against 100,000 fitted + the rest placed by openTSNE's transform:
# 250,000 points 301 s against 139 s (2.2x); 1,000,000 points 2,608 s against 325 s (8.0x).
TSNE_FULL_FIT_MAX = 250_000
TSNE_AUTO_SAMPLE = 100_000

# UMAP (seeded, so one thread), the same with umap-learn's transform: 250,000 points 163 s
# against 136 s (1.2x); 1,000,000 points 928 s against 396 s (2.3x). The ratio grows about as
# N^0.48 between them, reaching 2x near 700,000.
UMAP_FULL_FIT_MAX = 700_000
UMAP_AUTO_SAMPLE = 100_000
