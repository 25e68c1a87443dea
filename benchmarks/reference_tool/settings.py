"""Settings of the reference tool: its own SQLite file (or DATABASE_URL) and a database cache (Redis with REDIS_URL), as Maydan's benchmark runs."""
import os

import dj_database_url

DEBUG = False
SECRET_KEY = "reference-tool-benchmark-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "reference_tool.urls"
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE = []
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": False,
              "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {
                  "launch.html": "<!doctype html><title>Launched</title><p>Hello {{ name }} ({{ roles|length }} roles) "
                                 "in {{ course }}</p>"})]}}]
DATABASES = {"default": dj_database_url.config(
    default=f"sqlite:///{os.environ.get('REFERENCE_DB', '/tmp/reference-tool.sqlite3')}",
    conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                                       "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "reference_cache",
                      "OPTIONS": {"MAX_ENTRIES": 100_000}}}
if os.environ.get("REDIS_URL"):  # as Maydan's settings do
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
                          "KEY_PREFIX": "reference"}}
USE_TZ = True
