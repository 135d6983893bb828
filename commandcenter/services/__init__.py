"""Services: the layer between the UI (or the CLI) and the pure packages. No Qt here."""
