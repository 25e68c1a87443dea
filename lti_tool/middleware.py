"""Django's session, locale, authentication and messages middleware, run for every request but the LTI tool's.

A request under /lti/ proves itself by a platform's signature or by the launch context the tool signed, never by a
cookie: its views read no session and no user, and each speaks the language its launch chose (the
claims, the signed context, or the request's own `lang`) rather than the one the browser's headers ask for. For
those requests these four only cost CPU: about half a millisecond of every login + launch. Everywhere else (the
admin, the sandbox, the landing page) they run as Django's own, of which these are subclasses. Django's CSRF
middleware stays whole (its deployment check asks for it by name): the tool's views are exempt, which it honours
at once. Django's common middleware is here too, for what it does with an address that lacks its final slash.
"""
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSession
from django.middleware.common import CommonMiddleware as DjangoCommon
from django.middleware.locale import LocaleMiddleware as DjangoLocale

LTI_PATH = "/lti/"


def for_lti_tool(request):
    return request.path_info.startswith(LTI_PATH)


class _NotForLtiTool:
    def __call__(self, request):
        if for_lti_tool(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_NotForLtiTool, DjangoSession):
    pass


class LocaleMiddleware(_NotForLtiTool, DjangoLocale):
    pass


class AuthenticationMiddleware(_NotForLtiTool, DjangoAuthentication):
    pass


class MessageMiddleware(_NotForLtiTool, DjangoMessages):
    pass


class CommonMiddleware(DjangoCommon):
    """Django's, but a request that carries data (POST, PUT…) to an address that lacks its final slash is not found
    (404), as any unknown address: Django redirects it, and the browser follows with a GET that drops the data
    (with DEBUG on, Django raises instead, a 500). Addresses read with GET or HEAD still redirect to their slash."""

    def should_redirect_with_slash(self, request):
        return request.method in ("GET", "HEAD") and super().should_redirect_with_slash(request)
