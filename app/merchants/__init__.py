"""Merchants: the registry, credit levels, requests to answer (告知经营者), the disclosure figures and the scam watch."""
