"""The production cache (lti_tool.cache, Redis), whose one client per connection pool a worker's threads
share: values come back as stored, and each launch's nonce is used once. Needs REDIS_URL (CI's
PostgreSQL pass has it)."""
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from lti_tool.cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


def _cache():
    return RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_values_keep_their_type_and_expire_as_asked():
    cache = _cache()
    cache.set("registrations", [{"issuer": "https://lms.example", "deployments": ["1", "2"]}], 60)
    assert cache.get("registrations") == [{"issuer": "https://lms.example", "deployments": ["1", "2"]}]
    cache.set("gone", 1, 0)
    assert cache.get("gone") is None
    cache.delete("registrations")
    assert cache.get("registrations", "absent") == "absent"


def test_a_nonce_is_used_once_however_many_threads_and_workers_try_at_once():
    one_worker, other_worker = _cache(), _cache()
    other_worker.key_prefix = one_worker.key_prefix  # two processes, one Redis
    with ThreadPoolExecutor(16) as pool:
        used = list(pool.map(lambda i: (one_worker if i % 2 else other_worker).add("used-nonce-n1", 1, 60), range(64)))
    assert used.count(True) == 1



def test_a_key_added_and_others_read_together_answer_as_the_two_calls_would():
    """A launch marks its nonce used and confirms its registration in one round trip: the mark is made once, and the
    values read are those stored, absent ones left out, whatever the keys' prefix and version."""
    cache = _cache()
    cache.set("registrations", b"\x80pickled rows", 60)
    cache.set("versioned", "v2", 60, version=2)
    added, found = cache.add_and_get_many("used-nonce-n2", 1, 60, ["registrations", "roster-synced"])
    assert added is True and found == {"registrations": b"\x80pickled rows"}
    assert cache.get("used-nonce-n2") == 1
    again, found = cache.add_and_get_many("used-nonce-n2", 1, 60, ["registrations"])
    assert again is False and found == {"registrations": b"\x80pickled rows"}
    assert 0 < cache._cache.get_client().ttl(cache.make_key("used-nonce-n2")) <= 60  # it expires as asked
    other = _cache()
    other.key_prefix = cache.key_prefix
    assert other.add_and_get_many("used-nonce-n2", 1, 60, ["versioned"]) == (False, {})
