"""Running the whole pipeline over a folder: the map engine, the per-plan cache, the manifest, the pipeline and the notebook report."""
