"""Live category suggestions: features, training, the on-disk model, packages and the Suggester."""
