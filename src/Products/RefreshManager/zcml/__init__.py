"""Refresh code and ZCML: a package's registrations taken out and made
again, or the whole site configuration where that cannot be undone."""
