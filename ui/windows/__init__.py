"""The desk's windows and the main window's pages and menus."""
