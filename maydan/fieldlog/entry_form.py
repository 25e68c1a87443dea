"""The student's entry form (new or being edited), written in Python rather than a template: it is on every answer of
the student's log, and its labels, hints and lists, the same for every student, cost more to draw through the
template engine than the rest of the screen.

Its fixed words are put in once per language and kept (`KEPT`, keyed by the language alone: nothing else is in
them); the form's values, the field errors and the screen's hidden context are written in, escaped. A new entry's form
is kept whole under exactly the values it shows (`_new_entry`), its hidden context written in on every answer.
"""
import html
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..templatetags.maydan import field_errors, field_state
from ..templatetags.maydan_rows import HIDDEN_CONTEXT, hidden_inputs, with_hidden
from . import choices

# [[…]]: a word put in once per language (maydan.fieldlog.entry_form.words); {…}: a value put in on every draw.
FORM = """<form class="maydan-form" method="post" action="{endpoint}" novalidate>
  {hidden}
  <input type="hidden" name="action" value="save">
  {editing}
  <fieldset>
    <legend>{legend}</legend>
    <div class="maydan-row">
      <label>[[date]]
        <input type="date" name="date" value="{date}" required {state_date}></label>
      {errors_date}
      <label>[[start]]
        <input type="time" name="start_time" value="{start_time}" {state_start_time}></label>
      {errors_start_time}
      <label>[[end]]
        <input type="time" name="end_time" value="{end_time}" {state_end_time}></label>
      {errors_end_time}
      <label>[[duration]]
        <input type="text" name="duration" inputmode="numeric" size="6" value="{duration}" {state_duration}></label>
      {errors_duration}
    </div>
    <div class="maydan-row">
      <label>[[activity]]
        <select name="activity_type" required {state_activity_type}>
          <option value="">[[choose]]</option>
          {activity_types}
        </select></label>
      {errors_activity_type}
      <label>[[modality]]
        <select name="modality" {state_modality}>
          {modalities}
        </select></label>
      {errors_modality}
      <label>[[time_kind]]
        <select name="time_kind" {state_time_kind}>
          {time_kinds}
        </select></label>
      {errors_time_kind}
    </div>
    <div class="maydan-row">
      <label>[[meeting_link]]
        <input type="url" name="meeting_link" dir="ltr" value="{meeting_link}" placeholder="https://" {state_meeting_link}></label>
      {errors_meeting_link}
      <label>[[agency]]
        <input type="text" name="agency" value="{agency}" maxlength="255" {state_agency}></label>
      {errors_agency}
      <label>[[client_code]]
        <input type="text" name="client_code" value="{client_code}" maxlength="20" placeholder="C-014" {state_client_code}></label>
      {errors_client_code}
    </div>
    <fieldset class="maydan-competency-picker">
      <legend>[[competencies]]</legend>
      {competencies}
      {errors_competencies}
    </fieldset>
    <label class="maydan-wide">[[description]]
      <textarea name="description" rows="3" {state_description}>{description}</textarea></label>
    {errors_description}
    <label class="maydan-wide">[[reflection]]
      <textarea name="reflection" rows="4" {state_reflection}>{reflection}</textarea></label>
    {errors_reflection}
    <p class="maydan-hint">[[privacy]]</p>
    <div class="maydan-buttons">
      <button type="submit" name="submit" value="0">[[draft]]</button>
      <button type="submit" name="submit" value="1" class="maydan-primary">[[submit]]</button>
    </div>
  </fieldset>
</form>
"""
FIELDS = ("date", "start_time", "end_time", "duration", "activity_type", "modality", "time_kind", "meeting_link",
          "agency", "client_code", "competencies", "description", "reflection")
# Where a field's state and its errors go: empty while the form holds no error.
PLACES = tuple(f"{kind}_{name}" for kind in ("state", "errors") for name in FIELDS)
TEXTS = ("date", "start_time", "end_time", "duration", "meeting_link", "agency", "client_code", "description",
         "reflection")
# {language: (FORM with its words put in, "Edit entry", "New entry")}
KEPT = {}


def words():
    """The form's fixed words in the active language, as the template's {% translate %} wrote them (as they are)."""
    return {"date": _("Date"), "start": _("Start"), "end": _("End"), "duration": _("or duration (minutes or h:mm)"),
            "activity": _("Activity"), "choose": _("Choose…"), "modality": _("Modality"),
            "time_kind": _("Direct or indirect"), "meeting_link": _("Meeting link (remote or hybrid)"),
            "agency": _("Placement agency"), "client_code": _("Client code (never a name)"),
            "competencies": _("Competencies practised (CSWE 2022 EPAS)"), "description": _("What you did"),
            "reflection": _("Reflection"),
            "privacy": _("Refer to clients only by a code. Names, phone numbers, national IDs and e-mail addresses "
                         "are refused."),
            "draft": _("Save draft"), "submit": _("Save and submit")}


def put_in(text, said):
    """`text` with its [[word]]s put in from `said` (a word's braces are text, not a value's place)."""
    for key, word in said.items():
        text = text.replace(f"[[{key}]]", word.replace("{", "{{").replace("}", "}}"))
    return text


def shapes_in_language(store, shapes, said, **more):
    """`store`'s shapes for the active language: each of `shapes` ({name: text}) with the words `said()` gives put in,
    and `more()` beside them, made the first time the language is asked for and kept."""
    language = translation.get_language()
    kept = store.get(language)
    if kept is None:
        words = said()
        kept = store[language] = {name: put_in(text, words) for name, text in shapes.items()}
        kept.update({name: word() for name, word in more.items()})
    return kept


def _kept():
    language = translation.get_language()
    kept = KEPT.get(language)
    if kept is None:
        kept = KEPT[language] = (put_in(FORM, words()), _("Edit entry"), _("New entry"))
    return kept


def value(shown):
    """As a template writes {{ shown }}: localized, escaped unless safe (a whole number localized is its digits,
    unless the settings group thousands)."""
    # A plain string (neither safe nor lazy), as most values are: escaped as Django's escape() does, without the
    # wrapper that looks for lazy arguments first.
    if type(shown) is str:
        return SafeString(html.escape(shown))
    if type(shown) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(shown)
    return conditional_escape(localize(shown))


def draw(screen, form, editing):
    """The entry form's HTML: `form` holds the values shown (FIELDS), `editing` the entry being edited or None."""
    if editing is None and not screen.errors:
        shown = tuple((name, _hashable(form.get(name, ""))) for name in FIELDS)
        if _may_key(shown):
            return with_hidden(_new_entry(translation.get_language(), screen.endpoint, tuple(screen.hidden), shown),
                               screen)
    return _draw(screen.endpoint, hidden_inputs(screen), screen.errors, form, editing)


def _hashable(shown):
    return tuple(shown) if isinstance(shown, list) else shown


def _may_key(shown):
    try:
        hash(shown)
    except TypeError:  # a value that cannot be a key (none a screen gives): drawn afresh
        return False
    return True


@lru_cache(maxsize=256)
def _new_entry(_language, endpoint, _hidden_names, shown):
    """A new entry's form (no errors), drawn in the active language (`_language`) with HIDDEN_CONTEXT in place of the
    hidden inputs: the same for every student of an agency, it is kept under exactly the values it shows."""
    return _draw(endpoint, HIDDEN_CONTEXT, {}, dict(shown), None)


def _draw(endpoint, hidden, errors, form, editing):
    template, edit, new = _kept()
    values = dict.fromkeys(PLACES, "") if not errors else {
        **{f"state_{name}": field_state(errors, name) for name in FIELDS},
        **{f"errors_{name}": field_errors(errors, name) for name in FIELDS}}
    values.update({name: value(form.get(name, "")) for name in TEXTS})
    return SafeString(template.format(
        endpoint=value(endpoint), hidden=hidden + "\n",
        editing=f'<input type="hidden" name="entry" value="{value(editing.pk)}">' if editing else "",
        legend=edit if editing else new,
        activity_types=choices.options("activity_types", form.get("activity_type")),
        modalities=choices.options("modalities", form.get("modality")),
        time_kinds=choices.options("time_kinds", form.get("time_kind")),
        competencies=choices.competency_checks(form.get("competencies")), **values))
