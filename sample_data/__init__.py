"""The bundled sample dataset (see README.md here); data files only."""
