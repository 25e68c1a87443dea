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


def until_form(client, person="student_1", course="field-training-1", lang="ar", secure=False, link=None,
               deep_link=False, tool=None):
    """platform /sandbox/launch -> tool /lti/login -> platform /sandbox/authorize -> the auto-posting form.

    `link`: a placed SandboxLink's pk; `deep_link`: start a deep-linking request instead;
    `tool`: the client id of a tool registered with the sandbox.
    """
    params = {"person": person, "course": course, "lang": lang, **({"link": link} if link else {}),
              **({"tool": tool} if tool else {})}
    start = client.get("/sandbox/deep-link" if deep_link else "/sandbox/launch", params, secure=secure)
    assert start.status_code == 302, start.content
    login = client.get(start["Location"], secure=secure)
    assert login.status_code == 302, login.content
    return authorized_form(client, login, secure)


def authorized_form(client, login, secure=False):
    """The platform's auto-posting launch form, after the tool's login answered `login` (a 302)."""
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


def hidden(response, name):
    """The value of a hidden form field on a page."""
    return html.unescape(re.search(rf'name="{name}" value="([^"]+)"', response.content.decode()).group(1))


def place(client, *activities, person="instructor", course="field-training-1", lang="en"):
    """Deep linking round trip: the teacher picks `activities` in the tool, the sandbox places them.

    Returns (the tool's response page, the sandbox's page); the placed links are SandboxLink rows.
    """
    picker = launch(client, person=person, course=course, lang=lang, deep_link=True)
    answer = client.post("/lti/deep-link", {"dl": hidden(picker, "dl"), "lang": lang, "activity": list(activities)})
    assert answer.status_code == 200, answer.content.decode()
    action = urlsplit(html.unescape(re.search(r'action="([^"]+)"', answer.content.decode()).group(1))).path
    placed = client.post(action + f"?lang={lang}", {"JWT": hidden(answer, "JWT")})
    return answer, placed
