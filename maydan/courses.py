"""A course's field-training settings: program, hour targets, time zone, language and digits.

Every adapter (Studio through the XBlock, the LTI tool's settings page) calls `configure_from`
(or `configure`), which checks who may change them, validates, writes and audits in one transaction.
"""
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from . import audit, parse, roles, untrusted, vocab
from .errors import Forbidden, Invalid
from .models import Course

MIN_HOURS = 1
MAX_HOURS = 5000
_SETTINGS = ("program", "target_hours", "category_targets", "time_zone", "language", "language_chosen", "digits",
             "school_name")
# The course language: "" leaves it to each launch (the platform's locale, then the browser).
LANGUAGES = {"": gettext_lazy("As the platform or the browser asks"), "ar": "العربية", "en": "English"}
# How Arabic screens write numbers (CLDR numbering systems).
DIGITS = {"latn": gettext_lazy("Western digits (0 1 2 3)"), "arab": gettext_lazy("Arabic-Indic digits (٠ ١ ٢ ٣)")}


def may_configure(actor):
    """Course supervisors (academic supervisor, coordinator) and course authors set the field-training rules."""
    return actor.supervises_course or actor.has(roles.AUTHOR)


def require_configurer(actor):
    """Forbidden unless the actor may change the course's settings."""
    if not may_configure(actor):
        raise Forbidden(_("Only the academic supervisor, the field coordinator or a course author may change these settings."))


def category_keys():
    """What a per-category target may count: a time kind or an activity type."""
    return list(vocab.TIME_KINDS) + list(vocab.ACTIVITY_TYPES)


def category_choices():
    """[(key, label)] of the categories, in the active language, for a form."""
    return [*vocab.TIME_KINDS.items(), *vocab.ACTIVITY_TYPES.items()]


def category_label(key):
    return dict(category_choices()).get(key, key)


def category_rows(course, posted=None):
    """The rows an editor shows: [{key, hours}] as saved, or as just posted when refused."""
    if posted is not None and "category_key" in posted:
        return [{"key": key, "hours": hours} for key, hours in zip(*_posted_rows(posted))]
    return [{"key": key, "hours": hours} for key, hours in (course.category_targets or {}).items()]


def _posted_rows(data):
    def listed(name):
        value = data.getlist(name) if hasattr(data, "getlist") else data.get(name, ())
        return [str(v) for v in ([value] if isinstance(value, (str, int, float)) else value or ())]

    keys, hours = listed("category_key"), listed("category_hours")
    hours += [""] * (len(keys) - len(hours))
    return [k.strip() for k in keys], [h.strip() for h in hours[:len(keys)]]


def _targets_from_rows(rows, fail):
    """{category: hours} from an editor's rows [(key, hours)]: a row with no hours is left out (that is
    how a row is removed without a script), a category listed twice is refused."""
    targets = {}
    for key, hours in rows:
        if not hours:
            continue
        if not key:
            fail("category_targets", _("Choose the category of the %(hours)s hours.") % {"hours": hours[:12]})
        elif key in targets:
            fail("category_targets", _("“%(category)s” is listed twice: keep one row for it.")
                 % {"category": category_label(key)})
        else:
            targets[key] = hours
    return targets


def settings_of(course):
    return {name: getattr(course, name) for name in _SETTINGS}


def chosen_language(course):
    """The language the course's settings chose ("ar" or "en"), or "" when none was chosen."""
    return course.language if course.language_chosen else ""


def configure_from(actor, data):
    """`configure` from a posted form or a Studio editor's JSON: a setting it does not carry stays as it is."""
    course = actor.course
    return configure(
        actor,
        program=data.get("program", course.program),
        target_hours=data.get("target_hours", course.target_hours),
        category_targets=(list(zip(*_posted_rows(data))) if "category_key" in data
                          else data.get("category_targets", course.category_targets)),
        time_zone=data.get("time_zone", course.time_zone),
        language=data.get("language"),
        digits=data.get("digits"),
        school_name=data.get("school_name"),
    )


@transaction.atomic
def configure(actor, *, program, target_hours, category_targets, time_zone, language=None, digits=None,
              school_name=None):
    """Change the course's field-training settings. Values may come raw from a form.

    `target_hours` empty means the program's default; `category_targets` is a mapping, its
    JSON text, e.g. {"direct": 200}, or an editor's rows [(key, hours)]; `language` "" leaves it to each launch; `language`
    and `digits` None: unchanged. Raises Forbidden or Invalid (with field errors);
    nothing is written unless everything is right.
    """
    require_configurer(actor)
    errors = {}

    def fail(name, message):
        errors.setdefault(name, []).append(message)

    program = (program or "").strip().upper()
    if program not in vocab.PROGRAMS:
        fail("program", _("Choose a program: %(choices)s.") % {"choices": ", ".join(vocab.PROGRAMS)})

    target = None
    if target_hours not in (None, ""):
        target = _hours(target_hours)
        if target is None or target != int(target):
            fail("target_hours", _("Target hours must be a whole number from %(min)s to %(max)s.")
                 % {"min": MIN_HOURS, "max": MAX_HOURS})
        else:
            target = int(target)

    targets = _category_targets(category_targets, fail)

    zone = (time_zone or "").strip()
    if not _is_time_zone(zone):
        fail("time_zone", _("“%(zone)s” is not a time zone. Use a name such as Africa/Cairo.") % {"zone": zone})

    if language is not None and str(language) not in LANGUAGES:
        fail("language", _("Choose the course language: Arabic, English or as each launch asks."))
    if digits is not None and str(digits) not in DIGITS:
        fail("digits", _("Choose Western or Arabic-Indic digits."))
    if school_name is not None and len(str(school_name).strip()) > 255:
        fail("school_name", _("The school's name is at most 255 characters."))

    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(first, errors)

    course = Course.objects.select_for_update().get(pk=actor.course.pk)
    before = settings_of(course)
    after = {"program": program, "target_hours": target, "category_targets": targets, "time_zone": zone}
    if language is not None:
        # Not chosen keeps the first launch's language: titles already placed in the gradebook keep theirs.
        after.update(language=str(language) or course.language, language_chosen=bool(language))
    if digits is not None:
        after["digits"] = str(digits)
    if school_name is not None:
        after["school_name"] = str(school_name).strip()
    changes = audit.diff(before, after)
    if changes:
        for name, value in after.items():
            setattr(course, name, value)
        course.save(update_fields=list(after))
        audit.record(actor, "course_settings", changes=changes)
    for name in _SETTINGS:  # the caller's course shows what was saved
        setattr(actor.course, name, getattr(course, name))
    return course


def _hours(value):
    """A number of hours within bounds, or None."""
    return parse.optional_number(value, low=MIN_HOURS, high=MAX_HOURS)


def _category_targets(value, fail):
    if value in (None, ""):
        return {}
    if isinstance(value, list):
        value = _targets_from_rows(value, fail)
    if isinstance(value, str):
        try:
            value = untrusted.load_json(value, max_depth=4, max_chars=10_000)  # a pasted setting
        except untrusted.Unreadable as error:
            fail("category_targets", _('Write the category targets as JSON, for example {"direct": 200}.')
                 if error.kind == "not_json" else untrusted.message(error))
            return {}
    if not isinstance(value, dict):
        fail("category_targets", _('Write the category targets as JSON, for example {"direct": 200}.'))
        return {}
    allowed = category_keys()
    clean = {}
    for key, hours in value.items():
        if key not in allowed:
            fail("category_targets", _("“%(key)s” is not a category. Use one of: %(choices)s.")
                 % {"key": key, "choices": ", ".join(allowed)})
            continue
        number = _hours(hours)
        if number is None:
            fail("category_targets", _("The target for “%(key)s” must be from %(min)s to %(max)s hours.")
                 % {"key": category_label(key), "min": MIN_HOURS, "max": MAX_HOURS})
            continue
        clean[key] = int(number) if number == int(number) else number
    return clean


@lru_cache(maxsize=1)
def _zone_names():
    return frozenset(available_timezones())


def _is_time_zone(name):
    if not name or name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
