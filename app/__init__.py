"""Liaison Desk domain, storage and documents (no Qt)."""
