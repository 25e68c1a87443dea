from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lti_tool import views as lti_views
from maydan.notify import views as notify_views

urlpatterns = [
    path("lti/", include("lti_tool.lti_urls")),  # first: every launch and every launched screen is resolved here
    path("admin/", admin.site.urls),
    path("maydan/", include("maydan.urls")),
    path("", lti_views.home, name="home"),
]
if settings.MAYDAN_DEMO_SITES:
    urlpatterns += [
        path("workbench/", include("workbench.urls")),
        path("sandbox/", include("lti_tool.sandbox.urls")),
        path("demo/outbox/", notify_views.demo_outbox, name="demo-outbox"),
    ]
# An unknown address and a failure on the tool's side answer in the person's language; an outage of the cache or
# database is a 503.
handler404 = "lti_tool.refusals.page_not_found"
handler500 = "lti_tool.outages.server_error"
