"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's client makes a new redis.Redis for every cache call, and redis-py's constructor builds
its table of response callbacks anew each time: about a quarter of a millisecond of CPU per call,
and a launch makes half a dozen. A redis.Redis may be shared between threads (its pool hands each
command a connection of its own) and survives a fork (the pool notices the new process).
"""
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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
        super().__init__(server, params)
        self._class = SharedClient
