"""SimPy models: evacuation dynamics, responders, sensors, blind-drill scenarios (built in later issues)."""
