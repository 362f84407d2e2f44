"""Who may do what with the blacklist and the project register."""

from ecogov import access


def may_override(user, listing) -> bool:
    """The bureau's dispatcher of the listing's jurisdiction (or above), or an administrator."""
    if user is None:
        return False
    return access.dispatches(user, listing.jurisdiction_id)
