"""REFI-QDA projects (``.qdpx``): reading, importing and writing whole projects."""
