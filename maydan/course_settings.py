"""A course's settings as one form: the field-training settings and the evaluation forms with their due dates.

The LTI tool's settings page posts this form. Saving goes through the services that own each setting
(`courses.configure_from`, which the Studio field log editor calls too, and `grading.services.configure_forms`),
so the checks and the audit rows are theirs; everything is saved, or nothing, and every problem is reported at once.
"""
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from . import courses, vocab
from .documents import branding
from .errors import Invalid
from .grading import services as grading


def values(actor, posted=None):
    """What the form shows, in the active language: the saved settings, or what was just posted when refused."""
    course, posted, language = actor.course, posted or {}, translation.get_language()
    saved = grading.settings_for(course)
    in_use = {form.id for form in grading.forms_in_use(course)}
    chosen = set(_list(posted, "forms_in_use")) if "forms_in_use" in posted or "forms" in posted else in_use
    return {
        "program": posted.get("program", course.program),
        "programs": vocab.PROGRAMS.items(),
        "target_hours": posted.get("target_hours", "" if course.target_hours is None else course.target_hours),
        "category_rows": courses.category_rows(course, posted),
        "category_choices": courses.category_choices(),
        "time_zone": posted.get("time_zone", course.time_zone),
        "course_language": posted.get("language", courses.chosen_language(course)),
        "languages": courses.LANGUAGES.items(),
        "digits": posted.get("digits", course.digits),
        "digit_choices": courses.DIGITS.items(),
        "school_name": posted.get("school_name", course.school_name),
        "logo": branding.logo_data_url(course),
        "forms": [{"id": form.id, "title": form.title.get(language) or form.title["en"], "used": form.id in chosen,
                   "due": posted.get(f"due_{form.id}", saved.due_dates.get(form.id, ""))}
                  for form in grading.forms().values()],
    }


def save(actor, posted, files=None):
    """Save the whole settings form (a QueryDict or a dict, and its uploaded `logo` file if any);
    Forbidden or Invalid with every field's errors."""
    try:
        _save_all(actor, posted, files or {})
    except Invalid:
        _reload(actor)
        raise


@transaction.atomic
def _save_all(actor, posted, files):
    errors, logo = {}, {}

    def read_logo():  # read and checked with the rest, stored only once everything else is right
        if files.get("logo"):
            logo["png"] = branding.png_of(files["logo"])

    for step in (lambda: courses.configure_from(actor, posted), lambda: _save_forms(actor, posted), read_logo):
        try:
            with transaction.atomic():
                step()
        except Invalid as refusal:
            errors.update(refusal.field_errors)
    if errors:  # leaving by an exception undoes a part already written
        raise Invalid(_("Some settings need correcting: nothing was saved."), errors)
    if logo or posted.get("remove_logo"):
        branding.set_logo(actor, logo.get("png"))


def _save_forms(actor, posted):
    if "forms" not in posted:  # a form without the evaluation part (a Studio editor) leaves it as it is
        return
    grading.configure_forms(actor, forms_in_use=_list(posted, "forms_in_use"),
                            due_dates={form_id: posted.get(f"due_{form_id}", "") for form_id in grading.forms()})


def _list(posted, name):
    if hasattr(posted, "getlist"):
        return posted.getlist(name)
    value = posted.get(name) or ()
    return [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else [str(value)]


def _reload(actor):
    """The caller's course as stored, after a rollback."""
    actor.course.refresh_from_db()
    actor.course.__dict__.pop("_grading_settings", None)
