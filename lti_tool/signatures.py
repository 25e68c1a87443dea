"""PyJWT's decoding of a platform's id_token, with one regular expression for the alphabet of its segments.

PyJWT (since 2.12) refuses a segment with a character outside base64url by testing each character in a Python
generator: for a launch's 2 to 4 KB token about a tenth of a millisecond, the largest part of checking its
signature. `Segments` checks the same thing in one regular expression and changes nothing else: the padding
rules, the errors and their messages are PyJWT's own (tests/lti/test_signatures.py holds it to PyJWT's answers).
"""
import binascii
import re

import jwt
from jwt.exceptions import DecodeError
from jwt.utils import base64url_decode, base64url_encode

_BASE64URL = re.compile(rb"[A-Za-z0-9_-]*")


class Segments(jwt.PyJWS):
    @staticmethod
    def _decode_base64url_segment(segment, name):
        padding = 0
        stripped = segment
        while stripped.endswith(b"="):
            stripped = stripped[:-1]
            padding += 1
            if padding > 2:
                raise DecodeError(f"Invalid {name} padding")
        if padding and len(segment) % 4 != 0:
            raise DecodeError(f"Invalid {name} padding")
        if len(stripped) % 4 == 1 or _BASE64URL.fullmatch(stripped) is None:
            raise DecodeError(f"Invalid {name} padding")
        try:
            decoded = base64url_decode(stripped)
        except (TypeError, binascii.Error) as err:
            raise DecodeError(f"Invalid {name} padding") from err
        if base64url_encode(decoded) != stripped:
            raise DecodeError(f"Invalid {name} padding")
        return decoded


class Tokens(jwt.PyJWT):
    def __init__(self, options=None):
        super().__init__(options)
        self._jws = Segments(options=self._jws.options)


decode = Tokens().decode
