"""The L1–L4 emergency plan model, validation and the plan engine (built in later issues)."""
