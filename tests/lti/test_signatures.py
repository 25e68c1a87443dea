"""The id_token's decoding (lti_tool.signatures) answers as PyJWT's own, on tokens whole and on odd segments."""
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from lti_tool import signatures

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SEGMENT_BYTES = st.binary(max_size=40) | st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. !é\n", max_size=40
).map(str.encode)


def answer(decode, segment):
    try:
        return "decoded", decode(segment, "payload")
    except jwt.DecodeError as exc:
        return "refused", str(exc)


@pytest.mark.skipif(not hasattr(jwt.PyJWS, "_decode_base64url_segment"), reason="PyJWT before 2.12 checks no alphabet")
@settings(max_examples=400)
@given(SEGMENT_BYTES)
def test_a_segment_is_decoded_or_refused_as_pyjwt_does(segment):
    assert answer(signatures.Segments._decode_base64url_segment, segment) == \
        answer(jwt.PyJWS._decode_base64url_segment, segment)


def token(**changes):
    now = int(time.time())
    body = {"iss": "https://platform.example", "aud": "tool", "sub": "s1", "iat": now, "exp": now + 300,
            "nonce": "n1", "https://purl.imsglobal.org/spec/lti/claim/custom": {"note": "ملاحظة " * 200}, **changes}
    return jwt.encode(body, KEY, algorithm="RS256", headers={"kid": "k1"})


def outcome(decode, id_token):
    try:
        return "verified", decode(id_token, KEY.public_key(), algorithms=["RS256"], options={"verify_aud": False})
    except jwt.InvalidTokenError as exc:
        return type(exc).__name__, str(exc)


def with_junk(id_token, part, junk):
    parts = id_token.split(".")
    parts[part] = parts[part][:7] + junk + parts[part][7:]
    return ".".join(parts)


@pytest.mark.parametrize("id_token", [
    token(),
    token(exp=int(time.time()) - 10),
    token(iat=int(time.time()) + 3600),
    with_junk(token(), 0, "!"),
    with_junk(token(), 1, "*"),
    with_junk(token(), 1, "é"),
    with_junk(token(), 2, "+"),
    token() + "=",
    token()[:-4],
    "a.b",
    "",
], ids=["valid", "expired", "issued in the future", "junk in the header", "junk in the payload",
        "a letter outside ASCII", "base64 (not url) in the signature", "padding", "cut short", "two parts", "empty"])
def test_a_token_is_verified_or_refused_as_pyjwt_does(id_token):
    assert outcome(signatures.decode, id_token) == outcome(jwt.decode, id_token)
