"""The case store: models, repositories and migrations. Knows nothing of handlers or channels."""
