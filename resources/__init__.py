"""Emergency supplies, teams and qualifications, and nearest-resource queries (built in later issues)."""
