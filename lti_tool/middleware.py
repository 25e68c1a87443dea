"""Django's session, locale, authentication and messages middleware, run for every request but the LTI tool's.

A request under /lti/ proves itself by a platform's signature or by the launch context the tool signed, never by a
cookie: its views read no session and no user, and each speaks the language its launch chose (the
claims, the signed context, or the request's own `lang`) rather than the one the browser's headers ask for. For
those requests these four only cost CPU: about half a millisecond of every login + launch. Everywhere else (the
admin, the sandbox, the landing page) they run as Django's own, of which these are subclasses. Django's CSRF
middleware stays whole (its deployment check asks for it by name): the tool's views are exempt, which it honours
at once.
"""
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSession
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
