"""Qt item models fed rows by the desk (no I/O of their own) and their loaders."""
