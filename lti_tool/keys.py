"""RSA keys: the tool's own pairs (durable, in the database) and the helpers they share with the sandbox."""
import json
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction
from jwcrypto.jwk import JWK

from .models import ToolKey


def new_private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@lru_cache(maxsize=64)
def private_key(private_pem: str):
    """The loaded key object, loaded once per process: parsing and checking an RSA PEM takes
    tens of milliseconds, more than all the rest of a launch. Signing with the object skips it."""
    return serialization.load_pem_private_key(private_pem.encode(), password=None)


@lru_cache(maxsize=64)
def public_pem(private_pem: str) -> str:
    key = private_key(private_pem)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def public_jwk(private_pem: str) -> dict:
    """The public JWK, its kid the RFC 7638 thumbprint (what pylti1p3 and lti1p3platform put in JWT headers)."""
    return json.loads(_public_jwk_json(private_pem))  # a fresh dict: callers may change theirs


@lru_cache(maxsize=64)
def _public_jwk_json(private_pem: str) -> str:
    jwk = JWK.from_pem(public_pem(private_pem).encode())
    data = json.loads(jwk.export_public())
    data.update(kid=jwk.thumbprint(), alg="RS256", use="sig")
    return json.dumps(data)


@transaction.atomic
def add_tool_key() -> ToolKey:
    pem = new_private_pem()
    jwk = public_jwk(pem)
    return ToolKey.objects.create(kid=jwk["kid"], private_pem=pem, public_jwk=jwk, active=True)


def signing_key() -> ToolKey:
    """The newest active key, generated on first need.

    Two processes starting at once may both generate one: both are active and published,
    the newer signs, so nothing breaks.
    """
    key = ToolKey.objects.filter(active=True).first()
    return key or add_tool_key()


def published_jwks() -> dict:
    signing_key()  # a fresh install publishes a key before its first launch
    return {"keys": [key.public_jwk for key in ToolKey.objects.filter(active=True)]}
