"""Where fitting a sample and placing the other points becomes the faster route.

Measured on the benchmark data with ``python benchmarks/scale.py`` (2 cores; the
"Scale" section of benchmarks/RESULTS.md). Kept free of imports, so that the CLI's
help can quote them without loading numpy.
"""

# t-SNE with sample="auto": every point is fitted up to TSNE_FULL_FIT_MAX points; above,
# TSNE_AUTO_SAMPLE of them are fitted and the rest placed with openTSNE's transform.
TSNE_FULL_FIT_MAX = 250_000
TSNE_AUTO_SAMPLE = 100_000

# UMAP with sample="auto", the same with umap-learn's transform.
UMAP_FULL_FIT_MAX = 250_000
UMAP_AUTO_SAMPLE = 100_000
