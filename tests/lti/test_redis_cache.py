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

