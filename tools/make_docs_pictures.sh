#!/usr/bin/env bash
# Regenerate the pictures in docs/ with projector itself, from the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
projector pca --demo -q -o docs/digits-pca.png
projector tsne --demo -q -o docs/digits-tsne.png
projector umap --demo -q -o docs/digits-umap.png
projector custom --demo -q --search-by name --left zero --right one --down six --up seven -o docs/digits-custom.png
python "$(dirname "$0")/screenshot_page.py"
