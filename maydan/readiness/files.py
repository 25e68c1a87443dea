"""Where readiness documents are kept and how an upload is checked before it is.

Settings (all optional):

- ``MAYDAN_DOCUMENT_STORAGE``: the alias in Django's ``STORAGES`` that keeps the files; default
  ``"default"``. In production name an S3-compatible storage, e.g. with django-storages::

      STORAGES["maydan_documents"] = {"BACKEND": "storages.backends.s3.S3Storage",
                                      "OPTIONS": {"bucket_name": "maydan-documents", "default_acl": "private",
                                                  "querystring_auth": True}}
      MAYDAN_DOCUMENT_STORAGE = "maydan_documents"

  The files are never linked to: they are read through the storage and streamed by the screens'
  download, which checks who asks. Keep the bucket (or MEDIA_ROOT) private.
- ``MAYDAN_DOCUMENT_MAX_BYTES``: the largest upload, default 5,000,000 bytes.
- ``MAYDAN_UPLOAD_SCANNER``: the dotted path of a callable run on every upload before it is stored,
  as ``scanner(data: bytes, content_type: str)``; it returns None for a clean file, or a short reason
  (or raises) to refuse it. Default none. For ClamAV, a few lines calling clamd's INSTREAM will do.
"""
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.module_loading import import_string

from .. import untrusted

log = logging.getLogger(__name__)


def storage():
    return storages[getattr(settings, "MAYDAN_DOCUMENT_STORAGE", "default")]


def max_bytes():
    return int(getattr(settings, "MAYDAN_DOCUMENT_MAX_BYTES", untrusted.MAX_UPLOAD_BYTES))


class Infected(untrusted.Unreadable):
    def __init__(self, reason):
        super().__init__("infected", reason)


def scan(data, content_type):
    """Run the configured scanner; Infected when it refuses the file (or fails: a file unscanned is not kept)."""
    path = getattr(settings, "MAYDAN_UPLOAD_SCANNER", None)
    if not path:
        return
    try:
        verdict = import_string(path)(data, content_type)
    except Exception as exc:  # noqa: BLE001 a scanner that cannot answer refuses the file
        log.warning("upload scanner %s failed: %s", path, type(exc).__name__)
        raise Infected("the scanner could not check it") from None
    if verdict:
        raise Infected(str(verdict)[:200])


def checked(stream):
    """(bytes, content type, extension, sha256) of an upload that passed size, type and scan; Unreadable otherwise."""
    data = untrusted.read_upload(stream, max_bytes=max_bytes())
    content_type, extension = untrusted.document_type(data)
    scan(data, content_type)
    return data, content_type, extension, hashlib.sha256(data).hexdigest()


def keep(data, extension):
    """Write a checked file to the documents' storage under a random name (nothing in it says whose it is);
    returns the name the storage gave it."""
    return storage().save(f"readiness/{secrets.token_hex(16)}.{extension}", ContentFile(data))


def read(name):
    return storage().open(name, "rb")


def remove(name):
    storage().delete(name)
