"""Time limits: the working-day calendar and holiday arrangements, the rule sets, due dates, the desk calculators and the statute texts."""
