"""Widgets shared by windows: code combo boxes, field errors, the PDF preview, panels inside the case window."""
