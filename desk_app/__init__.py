"""desk-app: an offline-first ITIL incident management desk."""

__version__ = "0.1.0"
