"""The supervisors' overview (their students, each with the hours approved and what waits), written in Python rather
than a template: it is every supervisor's first screen, a row per student of theirs (sixty and more), and the
template engine drew each row's nine values, bar and button at a tenth of a millisecond or more a row.

Its fixed words are put in once per language and kept (`KEPT`, keyed by the language alone); the filters a person
typed and the rows are written in, escaped, and the list so drawn is kept in the process under exactly those values
(`_drawn`); the screen's hidden context, which changes with every launch, is written in on every draw.
"""
from functools import lru_cache

from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..numbers import screen_number
from ..templatetags.maydan_rows import HIDDEN_CONTEXT, open_button, progress_bar, with_hidden
from . import choices
from .entry_form import put_in, value

# [[…]]: a word put in once per language; {…}: a value put in on every draw.
LIST = """
<form class="maydan-filters" method="post" action="{endpoint}">
  {hidden}
  <input type="hidden" name="action" value="view">
  <label>[[student]] <input type="search" name="student" value="{student}"></label>
  <label>[[status]]
    <select name="status"><option value="">[[any]]</option>
      {statuses}
    </select></label>
  <label>[[week]] <input type="date" name="week" value="{week}"></label>
  <button type="submit">[[filter]]</button>
</form>
<table class="maydan-table">
  <thead><tr>
    <th scope="col">[[student]]</th><th scope="col">[[agency]]</th>
    <th scope="col">[[approved]]</th><th scope="col">[[waiting]]</th>
    <th scope="col">[[to_countersign]]</th><th scope="col">[[last_entry]]</th><th scope="col"></th>
  </tr></thead>
  <tbody>
  {rows}
  </tbody>
</table>
"""
ROW = """
    <tr data-placement="{pk}">
      <th scope="row">{student}</th>
      <td>{agency}</td>
      <td>{bar}
        {hours}</td>
      <td>{waiting}</td>
      <td>{to_countersign}</td>
      <td>{last_entry}</td>
      <td>{open}</td>
    </tr>
  """
NONE = """
    <tr><td colspan="7">[[none]]</td></tr>
  """
# {language: (LIST and NONE with their words put in, the bar's label)}
KEPT = {}


def words():
    return {"student": _("Student"), "status": _("Status"), "any": _("Any"), "week": _("Week of"),
            "filter": _("Filter"), "agency": _("Agency"), "approved": _("Approved"), "waiting": _("Waiting"),
            "to_countersign": _("To countersign"), "last_entry": _("Last entry"), "none": _("No students match.")}


def _kept():
    language = translation.get_language()
    kept = KEPT.get(language)
    if kept is None:
        said = words()
        kept = KEPT[language] = (put_in(LIST, said), put_in(NONE, said),
                                 SafeString(_("Approved hours against the target")))
    return kept


def draw(screen, rows):
    """The overview's filters and table of `rows` (fieldlog.services.overview)."""
    filters = screen.filters
    shown = tuple((row.pk, str(row.student), row.agency or "—", row.percent, row.approved_hours, row.target,
                   row.waiting, row.to_countersign, row.last_entry) for row in rows)
    return with_hidden(_drawn(translation.get_language(), screen.endpoint, filters.get("student", ""),
                              filters.get("status", ""), filters.get("week", ""), shown), screen)


@lru_cache(maxsize=128)
def _drawn(language, endpoint, student, status, week, rows):
    """The overview drawn from exactly what it shows, kept in this process: a supervisor opens the same list again
    and again, and drawing sixty rows costs milliseconds. Each screen writes its own hidden context in (with_hidden)."""
    page, none, label = _kept()
    endpoint = value(endpoint)
    drawn = "".join(ROW.format(
        pk=value(pk), student=value(name), agency=value(agency),
        bar=progress_bar(percent=percent, pending=None, small=True, label=label),
        hours=_("%(done)s / %(target)s h") % {"done": value(screen_number(approved_hours, language, 2)),
                                              "target": value(screen_number(target, language, 0))},
        waiting=value(waiting), to_countersign=value(to_countersign),
        last_entry=last_entry.strftime("%Y-%m-%d") if last_entry else "—",
        open=open_button(endpoint, HIDDEN_CONTEXT, "placement", pk))
        for pk, name, agency, percent, approved_hours, target, waiting, to_countersign, last_entry in rows) or none
    return SafeString(page.format(
        endpoint=endpoint, hidden=HIDDEN_CONTEXT + "\n", student=value(student),
        statuses=choices.options("statuses", status), week=value(week), rows=drawn))
