"""The coding engine's text logic: re-anchoring spans, the built-in framework, keys."""
