"""Deployment checks (`maydan manage check --deploy`): settings that work on one machine for one
process and break a real deployment quietly."""
from django.conf import settings
from django.core import checks

LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs):
    # A launch is two requests (login, then the id_token post), often served by two different
    # processes: the state and nonce the first one keeps must be visible to the second.
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        return [checks.Warning(
            "LTI states and nonces are kept in each web process's own memory: with several processes, "
            "a launch whose login and post reach different processes is refused.",
            hint="Set REDIS_URL, or MAYDAN_CACHE=database and run `maydan manage createcachetable`.",
            id="maydan.W001",
        )]
    return []
