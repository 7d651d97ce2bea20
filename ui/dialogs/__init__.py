"""Dialogs: small forms that ask, confirm or edit one thing."""
