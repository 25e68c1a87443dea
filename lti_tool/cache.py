"""Django's Redis cache, with one Redis client per connection pool instead of one per call, and bounded waits.

Django's client makes a new redis.Redis for every cache call, and redis-py's constructor builds
its table of response callbacks anew each time: about a quarter of a millisecond of CPU per call,
and a launch makes half a dozen. A redis.Redis may be shared between threads (its pool hands each
command a connection of its own) and survives a fork (the pool notices the new process).

Django's connection pool, left to redis-py's defaults, waits 5 s for each answer and does not try a command again
when its connection breaks midway (a pooled connection Redis closed while idle is noticed and opened afresh before
use). Here a connection that breaks during a command is tried once more at once, and a Redis that has not
answered within 2 s is an outage: the request answers 503 (lti_tool/outages.py).

Django warns of keys that memcached would refuse; Redis refuses none, so this cache does not look.

`add_and_get_many` adds a key and reads others in one round trip (a launch marks its nonce used and confirms its
registration so).
"""
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis import exceptions
from redis.backoff import NoBackoff
from redis.retry import Retry


def bounded_waits():
    return {"socket_connect_timeout": 1, "socket_timeout": 2,
            "retry": Retry(NoBackoff(), 1, supported_errors=(exceptions.ConnectionError,))}


def add_and_get_many(key, value, timeout, keys):
    """(caches["default"].add(key, value, timeout), caches["default"].get_many(keys)): in one round trip to Redis, as
    two calls on any other cache."""
    cache = caches["default"]
    if not keys:
        return cache.add(key, value, timeout), {}
    if isinstance(cache, RedisCache):
        return cache.add_and_get_many(key, value, timeout, keys)
    return cache.add(key, value, timeout), cache.get_many(keys)


class SharedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, {**params, "OPTIONS": {**bounded_waits(), **params.get("OPTIONS", {})}})
        self._class = SharedClient

    def validate_key(self, key):
        """Nothing to check: Redis takes any key. Django's check warns of keys memcached would refuse, reading every
        character of every key on every call; the tests' cache (local memory) still makes it."""

    def add_and_get_many(self, key, value, timeout, keys):
        made = {self.make_and_validate_key(name): name for name in keys}
        timeout = self.get_backend_timeout(timeout)
        client = self._cache.get_client(write=True)  # the writes' server, which the read then finds up to date
        serializer = self._cache._serializer
        pipeline = client.pipeline(transaction=False)
        pipeline.set(self.make_and_validate_key(key), serializer.dumps(value), nx=True, ex=timeout)
        pipeline.mget(list(made))
        added, values = pipeline.execute()
        return bool(added), {made[name]: serializer.loads(found) for name, found in zip(made, values)
                             if found is not None}
