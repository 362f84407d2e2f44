"""National standards as plain Python: no Django, no I/O.

- hj212: HJ 212-2017 (and 2005) data-transmission codec
- aqi: HJ 633-2012 air quality index, GB 3095-2012 limits
- water: GB 3838-2002 surface-water quality class
- workdays: the Chinese working-day calendar for legal deadlines

Each table carries the date from which it applies, so a revision is a new table.
"""
