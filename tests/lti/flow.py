"""Driving a real launch: sandbox platform (lti1p3platform) -> tool (pylti1p3), through Django's test Client.

Nothing is patched: real RSA keys, real RS256 signatures, the real state cookie and nonce.
"""
import html
import re
from urllib.parse import parse_qs, urlsplit

import jwt

from lti_tool.sandbox.platform import SandboxPlatformConf

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def until_form(client, person="student_1", course="field-training-1", lang="ar", secure=False):
    """platform /sandbox/launch -> tool /lti/login -> platform /sandbox/authorize -> the auto-posting form."""
    start = client.get("/sandbox/launch", {"person": person, "course": course, "lang": lang}, secure=secure)
    assert start.status_code == 302, start.content
    login = client.get(start["Location"], secure=secure)
    assert login.status_code == 302, login.content
    authorize = urlsplit(login["Location"])
    assert authorize.path == "/sandbox/authorize"
    page = client.get(login["Location"], secure=secure)
    assert page.status_code == 200, page.content
    text = page.content.decode()
    form = dict(re.findall(r'name="(id_token|state)" value="([^"]+)"', text))
    form["action"] = urlsplit(html.unescape(re.search(r'action="([^"]+)"', text).group(1))).path
    form["nonce"] = query(login["Location"])["nonce"]
    return form


def post(client, form, secure=False, **override):
    return client.post(form["action"], {"id_token": form["id_token"], "state": form["state"], **override}, secure=secure)


def launch(client, **kwargs):
    response = post(client, until_form(client, **kwargs))
    assert response.status_code == 200, response.content.decode()
    return response


def ctx_of(response):
    """The signed launch context the screen's forms carry."""
    return html.unescape(re.search(r'name="ctx" value="([^"]+)"', response.content.decode()).group(1))


def claims(id_token):
    return jwt.decode(id_token, options={"verify_signature": False})


def resign(id_token, **changes):
    """The id_token with changed claims, signed again with the sandbox platform's real key."""
    body = claims(id_token)
    body.update(changes)
    return SandboxPlatformConf().get_registration().platform_encode_and_sign(body)
