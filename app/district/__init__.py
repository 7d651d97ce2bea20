"""The district: the point's signed package for the council (报送消保委), the council's merge, the point's signing key."""
