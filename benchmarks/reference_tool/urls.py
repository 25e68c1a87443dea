"""Login and launch as pylti1p3's Django example does them."""
import json
import os

from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.tool_config import ToolConfDict


def tool_conf():
    conf = ToolConfDict(json.loads(os.environ["REFERENCE_TOOL_CONF"]))
    for issuer, client in json.loads(os.environ["REFERENCE_TOOL_CONF"]).items():
        conf.set_private_key(issuer, os.environ["REFERENCE_PRIVATE_KEY"], client_id=client[0]["client_id"])
    return conf


def storage():
    return DjangoCacheDataStorage(cache_name="default")


@csrf_exempt
def login(request):
    oidc = DjangoOIDCLogin(request, tool_conf(), launch_data_storage=storage())
    return oidc.redirect(request.GET.get("target_link_uri") or request.POST.get("target_link_uri"))


@csrf_exempt
def launch(request):
    message = DjangoMessageLaunch(request, tool_conf(), launch_data_storage=storage())
    message.set_public_key_caching(storage(), cache_lifetime=7200)
    data = message.get_launch_data()
    return render(request, "launch.html", {
        "name": data.get("name"), "course": (data.get("https://purl.imsglobal.org/spec/lti/claim/context") or {}).get("title"),
        "roles": data.get("https://purl.imsglobal.org/spec/lti/claim/roles") or []})


urlpatterns = [path("login", login), path("launch", launch)]
