"""The field protocol over ZeroMQ: commands, acknowledgements, positions (built in later issues)."""
