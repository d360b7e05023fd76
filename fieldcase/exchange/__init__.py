"""Exchange with other QDA tools: REFI-QDA codebooks (.qdc) and, later, projects (.qdpx)."""
