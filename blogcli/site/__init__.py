"""The static site: `builder.build_site` and one module per concern (see ARCHITECTURE.md)."""
