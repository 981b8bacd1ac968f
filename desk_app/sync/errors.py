"""Why a sync or a server command could not go on."""


class SyncError(Exception):
    """A sync could not finish; nothing local was lost (the message says why)."""


class SchemaError(SyncError):
    """The team database's schema cannot be used by this client."""
