"""Network registry API (filled in below)."""


def register(router) -> None:
    pass
