"""REFI-QDA projects (``.qdpx``): a zip of ``project.qde`` and the sources' texts."""
