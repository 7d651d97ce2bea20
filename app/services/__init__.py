"""The desk's services, one per concept (cases, calendar, settings, …), composed by app.desk.Desk."""
