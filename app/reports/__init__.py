"""Figures: the monthly summary and hot issues, the day's work list (今日待办) and the print register."""
