from django.urls import path

from . import views

app_name = "sandbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("launch", views.launch, name="launch"),
    path("deep-link", views.deep_link, name="deep_link"),
    path("deep-link/return", views.deep_link_return, name="deep_link_return"),
    path("authorize", views.authorize, name="authorize"),
    path("jwks.json", views.jwks, name="jwks"),
    path("token", views.token, name="token"),
    path("courses/<str:course>/lineitems", views.lineitems, name="lineitems"),
    path("lineitems/<int:pk>", views.lineitem, name="lineitem"),
    path("lineitems/<int:pk>/scores", views.scores, name="scores"),
    path("courses/<str:course>/memberships", views.memberships, name="memberships"),
    path(".well-known/openid-configuration", views.openid_configuration, name="openid_configuration"),
    path("register", views.register, name="register"),
    path("dynamic-registration", views.dynamic_registration, name="dynamic_registration"),
    path("fail-calls", views.fail_calls, name="fail_calls"),
]
