"""One function per ITIL activity; each is one local transaction."""
