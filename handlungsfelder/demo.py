from .defaults import ensure_default_handlungsfelder


def seed(demo):
    ensure_default_handlungsfelder()
