"""Cases: reading the case JSON (intake), numbering, registering, the lifecycle, mediation, corrections, lists and search, retention, demo data."""
