"""Operations over a project: search, words and keyword in context, suggestions, matrices."""
