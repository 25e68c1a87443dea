"""What the LTI adapter keeps: the platforms it trusts and its own signing keys.

No domain data lives here: people, courses and field logs are the core's (maydan.models).
"""
import hashlib
import pickle
import time

from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _, pgettext_lazy

REGISTRATIONS_PREFIX = "maydan-lti-registrations-"
REGISTRATIONS_TTL = 10 * 60  # a safety net: every change through the ORM forgets the issuer at once


def registrations_key(issuer):
    """The shared cache's key of an issuer's registrations."""
    return REGISTRATIONS_PREFIX + hashlib.sha256((issuer or "").encode()).hexdigest()


# {issuer: (time.monotonic() until which they are kept, rows)}: what a login reads (see of_issuer's `kept_for`).
_kept_here = {}


# {issuer: (the bytes the shared cache held, the rows they hold)}: unpickling model instances costs a launch more than
# the round trip that fetched them, so each process turns the same bytes into rows once.
_built_here = {}


def forget_kept():
    """Forget every registration this process keeps (tests, between their databases)."""
    _kept_here.clear()
    _built_here.clear()


def _forget(issuers):
    """Drop the cached registrations of these issuers now and again when the change commits (a
    launch reading in between could otherwise cache the rows as they were)."""
    keys = [registrations_key(issuer) for issuer in issuers]

    def forget():
        cache.delete_many(keys)
        for issuer in issuers:
            _kept_here.pop(issuer, None)
    forget()
    transaction.on_commit(forget)


class RegistrationQuerySet(models.QuerySet):
    """Bulk updates and deletes forget the cached registrations they change, as saves do."""

    def update(self, **kwargs):
        issuers = set(self.values_list("issuer", flat=True)) | {kwargs.get("issuer", "")}
        count = super().update(**kwargs)
        _forget(issuers)
        return count

    def delete(self):
        issuers = set(self.values_list("issuer", flat=True))
        result = super().delete()
        _forget(issuers)
        return result

    def of_issuer(self, issuer, beside=None, kept_for=0, afresh=False):
        """The issuer's registrations, from the shared cache: every launch and login reads them.

        `beside`: {cache key: None} of other keys a launch reads anyway, read in the same round trip; each is set to
        the value found (None when absent). `kept_for`: seconds this process may answer from what it read before,
        without a round trip (a change made here is seen at once; one made by another process, within that time);
        `afresh` reads past what is kept."""
        kept = _kept_here.get(issuer) if kept_for and not beside and not afresh else None
        if kept and kept[0] > time.monotonic():
            return kept[1]
        key = registrations_key(issuer)
        found = cache.get_many([key, *(beside or ())])
        for other in beside or ():
            beside[other] = found.get(other)
        rows = _rows_of(issuer, found.get(key))
        if rows is None:
            rows = list(self.filter(issuer=issuer or ""))
            cached = pickle.dumps(rows, pickle.HIGHEST_PROTOCOL)
            cache.set(key, cached, REGISTRATIONS_TTL)
            if rows:
                _built_here[issuer] = (cached, rows)
        if kept_for and rows:  # registered issuers only: a login naming any issuer must not grow this
            _kept_here[issuer] = (time.monotonic() + kept_for, rows)
        return rows

    def built_here(self, issuer):
        """(the bytes the shared cache held, their rows) as this process last read them for a registered issuer, or
        None. A launch may judge by them before it confirms they are still the cache's (lti_tool.lti)."""
        return _built_here.get(issuer)


def _rows_of(issuer, cached):
    """The rows of the bytes the cache held for `issuer` (None when it held none), built once per process for the same
    bytes: equal bytes are equal rows. Kept for registered issuers only, so that a launch naming any issuer cannot grow
    what is kept."""
    if not isinstance(cached, bytes):
        return None
    built = _built_here.get(issuer)
    if built is not None and built[0] == cached:
        return built[1]
    rows = pickle.loads(cached)
    if rows:
        _built_here[issuer] = (cached, rows)
    return rows


class Registration(models.Model):
    """One LTI 1.3 platform registration: an issuer and the client id it gave this tool."""

    issuer = models.CharField(_("issuer"), max_length=255)
    client_id = models.CharField(_("client ID"), max_length=255)
    auth_login_url = models.URLField(_("platform OIDC authorization URL"), max_length=500)
    auth_token_url = models.URLField(_("platform access token URL"), max_length=500, blank=True)
    key_set_url = models.URLField(_("platform JWKS URL"), max_length=500, blank=True)
    # Pasted JWKS: used instead of fetching key_set_url (offline demo, tests, firewalled platforms).
    key_set = models.JSONField(_("platform JWKS (inline)"), null=True, blank=True)
    deployment_ids = models.JSONField(_("deployment IDs"), default=list, blank=True)
    created = models.DateTimeField(pgettext_lazy("a date column", "created"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform registration")
        verbose_name_plural = _("platform registrations")
        constraints = [models.UniqueConstraint(fields=["issuer", "client_id"], name="registration_once")]

    def __str__(self):
        return f"{self.issuer} ({self.client_id})"

    @classmethod
    def from_db(cls, db, field_names, values, **options):  # Django 6.1 adds fetch_mode
        row = super().from_db(db, field_names, values, **options)
        row._loaded_issuer = row.issuer  # a save that changes the issuer forgets the old one's too
        return row

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget({self.issuer, getattr(self, "_loaded_issuer", self.issuer)})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget({self.issuer})
        return result


class ToolKey(models.Model):
    """An RSA key pair of this tool. Every active key is published in the JWKS; the newest one signs.

    Rotation: add a key (it signs from then on), keep the old one active until platforms
    have fetched the new JWKS, then deactivate it.
    """

    kid = models.CharField(_("key ID"), max_length=100, unique=True)
    private_pem = models.TextField(_("private key (PEM)"))
    public_jwk = models.JSONField(_("public key (JWK)"))
    created = models.DateTimeField(pgettext_lazy("a date column", "created"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tool key")
        verbose_name_plural = _("tool keys")
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.kid


class ResourceLink(models.Model):
    """A placement of a Maydan activity in a platform's course, as its launches name it.

    The activity comes from the link's custom parameter `maydan_activity` (set by deep
    linking); the line item URL from the launch's AGS claim, where grades are posted.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="resource_links")
    context_id = models.CharField(_("course (context ID)"), max_length=255)
    link_id = models.CharField(_("resource link ID"), max_length=255)
    activity = models.CharField(_("activity"), max_length=200, default="fieldlog")
    lineitem_url = models.URLField(_("line item URL"), max_length=500, blank=True)
    # The course roster (NRPS context_memberships_url), for a supervisor's "update the roster".
    memberships_url = models.URLField(_("roster URL"), max_length=500, blank=True)
    # How a case simulation is played at this link: custom parameter `maydan_mode` (practice or assessment).
    mode = models.CharField(_("mode"), max_length=10, default="assessment")
    updated = models.DateTimeField(pgettext_lazy("a date column", "updated"), auto_now=True)

    class Meta:
        verbose_name = _("resource link")
        verbose_name_plural = _("resource links")
        constraints = [models.UniqueConstraint(fields=["registration", "link_id"], name="resource_link_once")]

    def __str__(self):
        return f"{self.link_id} → {self.activity}"


from .sandbox.models import *  # noqa: E402,F401,F403
