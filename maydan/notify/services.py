"""Writing notifications, choosing how often, and sending what is due.

A notification is written in the transaction of the change that causes it, then sent after commit by
`send_due` (a Celery task in production, in-process in the demo): rows of one address, kind and batch
go out as one e-mail; a failure keeps them for a later attempt (the outbox's backoff), so nothing is
lost while the mail server is down and nothing goes twice.
"""
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import outbox, privacy
from ..errors import Forbidden, Invalid, NotFound
from . import rules
from .models import ALWAYS, CADENCES, KINDS, Notification, Preference

RETRY_SETTING = "MAYDAN_MAIL_RETRY_SECONDS"
UNSUBSCRIBE_SALT = "maydan.notify.unsubscribe"
PREFERENCES_SALT = "maydan.notify.preferences"
CONFIRM_SALT = "maydan.notify.confirm"
OPEN_SALT = "maydan.notify.open"
CONFIRM_DAYS = 3


# --- preferences -------------------------------------------------------------------------


def cadence(address, kind):
    found = Preference.objects.filter(address=address.lower(), kind=kind).values_list("cadence", flat=True).first()
    return found or rules.default_cadence(kind)


def cadences(address):
    """{kind: cadence} for every kind, defaults filled in."""
    chosen = dict(Preference.objects.filter(address=address.lower()).values_list("kind", "cadence"))
    return {kind: chosen.get(kind, rules.default_cadence(kind)) for kind in KINDS if kind not in ALWAYS}


def set_cadence(address, kind, value):
    if kind not in KINDS or kind in ALWAYS or value not in CADENCES:
        raise Invalid(_("Choose one of the offered kinds and frequencies."))
    Preference.objects.update_or_create(address=address.lower(), kind=kind, defaults={"cadence": value})


def address_of_actor(actor):
    """The only address an actor may set preferences for: their own."""
    if actor.person is None or not actor.person.email:
        raise Forbidden(_("Add your e-mail address first; preferences belong to an address."))
    return actor.person.email.lower()


def set_own_cadence(actor, kind, value):
    set_cadence(address_of_actor(actor), kind, value)


# --- signed links in every e-mail ---------------------------------------------------------


def unsubscribe_token(address, kind):
    return signing.dumps({"a": address.lower(), "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe(token):
    try:
        found = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        address, kind = found["a"], found["k"]
    except (signing.BadSignature, KeyError, TypeError):
        raise NotFound(_("This unsubscribe link is not valid."))
    if kind not in KINDS or kind in ALWAYS:
        raise NotFound(_("This unsubscribe link is not valid."))
    return address, kind


def preferences_token(address):
    return _preferences_token(address.lower(), settings.SECRET_KEY)


@lru_cache(maxsize=4096)  # every screen shows its person's link: the same token, signed once per process
def _preferences_token(address, _secret):
    return signing.dumps(address, salt=PREFERENCES_SALT, compress=True)


def read_preferences(token):
    try:
        return signing.loads(token, salt=PREFERENCES_SALT)
    except signing.BadSignature:
        raise NotFound(_("This preferences link is not valid."))


def open_token(notification):
    return signing.dumps(notification.pk, salt=OPEN_SALT)


def read_open(token):
    try:
        return Notification.objects.select_related("course").get(pk=signing.loads(token, salt=OPEN_SALT))
    except (signing.BadSignature, Notification.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("This link is not valid."))


# --- an address of one's own, confirmed by a signed link -------------------------------------


def request_address(actor, address):
    """A person whose platform gives no e-mail adds one; it counts once they open the link sent to it."""
    from django.core.validators import validate_email
    from django.core.exceptions import ValidationError

    if actor.person is None:
        raise Forbidden(_("Only a person signed in through their course can add an address."))
    address = (address or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise Invalid(_("Enter a valid e-mail address."), {"email": [_("Enter a valid e-mail address.")]})
    from . import messages

    token = signing.dumps({"p": actor.person.pk, "a": address}, salt=CONFIRM_SALT, compress=True)
    messages.confirm_address(actor, address, token)
    return address


def confirm_address(token):
    from ..models import Person

    try:
        found = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 86400)
        person = Person.objects.get(pk=found["p"])
    except signing.SignatureExpired:
        raise NotFound(_("This confirmation link has expired. Add your address again."))
    except (signing.BadSignature, KeyError, TypeError, Person.DoesNotExist):
        raise NotFound(_("This confirmation link is not valid."))
    if person.email.lower() != found["a"]:
        person.email = found["a"]
        person.save(update_fields=["email"])
    return person


# --- writing rows ------------------------------------------------------------------------


def local_now(course):
    return timezone.now().astimezone(ZoneInfo(course.time_zone if course else "Africa/Cairo"))


def queue(*, kind, address, about, period, subject, content, language, course=None, recipient=None, reason="",
          force=False):
    """Write a notification unless the person chose never, or it is written already; the row or None.

    `about` (the subject object, e.g. "entry:12") and `period` (an event id, a day) make it unique.
    `force`: sent whatever the preferences (the confirmation of an address someone just asked for).
    """
    if not address:
        return None
    chosen = "now" if force else cadence(address, kind)
    if chosen == "never":
        return None
    now, batch = timezone.now(), ""
    due = now
    if chosen in ("daily", "weekly") and kind not in rules.DIGESTS:
        batch, local_due = rules.batch_due(chosen, local_now(course).replace(tzinfo=None))
        due = timezone.make_aware(local_due, ZoneInfo(course.time_zone if course else "Africa/Cairo"))
    content = dict(content)
    content["items"] = [_safe(item) for item in content.get("items", [])]
    row, created = Notification.objects.get_or_create(
        key=rules.key(kind, address, about, period),
        defaults=dict(course=course, recipient=recipient, address=address.lower(), kind=kind, reason=reason,
                      language=language, subject=subject[:255], content=content, batch=batch, due_at=due),
    )
    if created and not batch:
        transaction.on_commit(_kick)
    return row if created else None


def _safe(item):
    """A quoted text goes in only if it names nobody: the privacy guard checked it when written, this is
    the second lock for text written before the guard knew a pattern."""
    if item.get("quote") and privacy.find_identifiers(item["quote"]):
        item = dict(item, quote="")
    return item


def _kick():
    from . import tasks

    tasks.kick()


# --- sending -----------------------------------------------------------------------------


def due_rows(now=None, limit=500):
    now = now or timezone.now()
    return list(Notification.objects.filter(outbox.due(now, "sent_at"), due_at__lte=now)
                .order_by("due_at", "id")[:limit])


def groups(rows):
    """Rows that go out together: one per row, except a digest batch of one address and kind."""
    found = {}
    for row in rows:
        found.setdefault((row.address, row.kind, row.batch) if row.batch else row.pk, []).append(row)
    return list(found.values())


def send_due(now=None, limit=500, connection=None):
    """Send every notification that is due; (sent e-mails, failed e-mails)."""
    from . import mail

    now = now or timezone.now()
    sent = failed = 0
    connection = connection or get_connection(fail_silently=False)
    for group in groups(due_rows(now, limit)):
        ids = [row.pk for row in group]
        if outbox.lease(Notification.objects.filter(outbox.due(now, "sent_at"), pk__in=ids), now) != len(ids):
            continue  # another worker took some of them: ours go again once the lease ends
        attempts = max(row.attempts for row in group) + 1
        try:
            mail.message(group, connection=connection).send()
        except Exception as exc:  # the mail server is down or refused: keep them all for a later attempt
            outbox.failed(Notification.objects.filter(pk__in=ids), attempts, exc, timezone.now(), RETRY_SETTING)
            failed += 1
        else:
            Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now(), next_attempt_at=None)
            sent += 1
    try:
        connection.close()
    except Exception:  # noqa: BLE001 closing a connection to a server that is gone
        pass
    return sent, failed


def retry_now():
    """Give every waiting notification its next attempt now (the mail server is back)."""
    return Notification.objects.filter(sent_at__isnull=True).update(next_attempt_at=None)


def as_local(course, moment):
    return moment.astimezone(ZoneInfo(course.time_zone)) if course else moment


def today_in(course):
    return datetime.now(ZoneInfo(course.time_zone)).date()


def mail_settings(actor):
    """What a person's screens show of their e-mail: their address and preferences link, or the form to add one."""
    if actor.person is None:
        return None  # an agency link: preferences come with the e-mails, to the address they were sent to
    from .mail import absolute_preferences

    address = actor.person.email
    return {"address": address, "preferences_url": absolute_preferences(address) if address else ""}
