"""The paths of the product's pages as Django's reverse() writes them, each worked out once per process.

Every launch's answer holds a few (the launch address, the screen's endpoint, the e-mail preferences link), and
reverse() matches the arguments against the pattern anew on every call. A path is kept under everything it follows:
the name and arguments, the URL configuration and the script prefix the request runs under.
"""
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def path_of(name, *args):
    """reverse(name, args=args), as it is now."""
    return _path(name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)  # a few names, and one preferences link per person with an address
def _path(name, args, _prefix, urlconf):
    return reverse(name, urlconf=urlconf, args=args or None)
