"""Why a sync or a server command could not go on."""


class SyncError(Exception):
    """A sync could not finish; nothing local was lost (the message says why)."""


class SchemaError(SyncError):
    """The team database's schema cannot be used by this client."""


class SetupRefused(SyncError):
    """``server init`` or ``server add-user`` cannot succeed with this login's rights;
    the message names the missing right and what an administrator runs."""
