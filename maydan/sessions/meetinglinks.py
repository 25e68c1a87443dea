"""Finding the meeting link (and passcode) in an invitation. Pure Python.

Zoom puts the link in LOCATION and DESCRIPTION, Google Calendar in X-GOOGLE-CONFERENCE
and the description, Outlook/Teams in X-MICROSOFT-SKYPETEAMSMEETINGURL and a long HTML-ish
description. Any service's link is accepted; a known service's link wins over another URL.
"""
import re

# The properties to look in, most specific first.
PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
    "URL",
    "LOCATION",
    "DESCRIPTION",
)

SERVICES = {
    "zoom": re.compile(r"https://(?:[\w-]+\.)?zoom\.(?:us|com)/(?:j|my|w|s)/[\w?=&.%/-]+", re.I),
    "meet": re.compile(r"https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}(?:\?[\w=&%.-]*)?", re.I),
    "teams": re.compile(r"https://teams\.(?:microsoft|live)\.com/(?:l/meetup-join|meet)/[^\s<>\"']+", re.I),
    "jitsi": re.compile(r"https://(?:meet\.jit\.si|8x8\.vc|jitsi\.[\w.-]+)/[\w/.-]+", re.I),
}
_ANY_URL = re.compile(r"https://[^\s<>\"'\\]+", re.I)
_TRAILING = ".,;:)]}>'\""

_PASSCODE = re.compile(
    r"(?:passcode|password|رمز المرور|كلمة المرور|رمز الدخول)\s*[:：=]?\s*([A-Za-z0-9@#$%^&*._-]{4,32})",
    re.I,
)


def _clean(url):
    return url.rstrip(_TRAILING)


def service_of(url):
    for name, pattern in SERVICES.items():
        if pattern.match(url or ""):
            return name
    return ""


def find_link(properties):
    """The meeting URL in {property name: text}: a known service in the first property that has one, else any https URL."""
    texts = [(name, str(properties.get(name) or "")) for name in PROPERTIES]
    for _name, text in texts:
        text = text.replace("\\n", "\n")
        for pattern in SERVICES.values():
            match = pattern.search(text)
            if match:
                return _clean(match.group(0))
    for name, text in texts:
        if name in ("URL", "LOCATION") or name.startswith("X-"):
            match = _ANY_URL.search(text)
            if match:
                return _clean(match.group(0))
    return ""


def find_passcode(properties):
    """A passcode written in the description or location ("Passcode: 123456"), or "" ."""
    for name in ("DESCRIPTION", "LOCATION"):
        match = _PASSCODE.search(str(properties.get(name) or ""))
        if match:
            return match.group(1)
    return ""
