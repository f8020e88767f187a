"""finews in Datasette: the metadata describing the store, and the plugin wiring search."""
