"""The ITIL rules, in pure Python: no Qt, no peewee, no SQL."""
