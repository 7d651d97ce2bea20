"""The point itself: its settings (name, code, contact, council, deadline defaults) and the texts of its posters."""
