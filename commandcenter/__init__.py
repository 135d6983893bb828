"""The plant emergency command center application: services, CLI and (under ``ui``) the Qt front end."""

__version__ = "0.1.0"
