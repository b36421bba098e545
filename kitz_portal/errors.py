class PortalError(Exception):
    """A rule of the portal refused an action; the message is shown to the person."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
