"""The built-in rule pack of boilerclean: one module per boilerplate family."""
