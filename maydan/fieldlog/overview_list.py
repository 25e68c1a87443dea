"""The supervisors' overview (their students, each with the hours approved and what waits), written in Python rather
than a template: it is every supervisor's first screen, a row per student of theirs (sixty and more), and the
template engine drew each row's nine values, bar and button at a tenth of a millisecond or more a row.

Its fixed words are put in once per language and kept (`KEPT`, keyed by the language alone); the filters a person
typed, the rows and the screen's hidden context are written in on every draw, escaped.
"""
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..numbers import screen_number
from ..templatetags.maydan_rows import hidden_inputs, open_placement, progress_bar
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
    page, none, label = _kept()
    language = translation.get_language()
    hidden = hidden_inputs(screen)
    context = {"screen": screen}
    drawn = "".join(ROW.format(
        pk=value(row.pk), student=value(row.student), agency=value(row.agency or "—"),
        bar=progress_bar(percent=row.percent, pending=None, small=True, label=label),
        hours=_("%(done)s / %(target)s h") % {"done": value(screen_number(row.approved_hours, language, 2)),
                                              "target": value(screen_number(row.target, language, 0))},
        waiting=value(row.waiting), to_countersign=value(row.to_countersign),
        last_entry=row.last_entry.strftime("%Y-%m-%d") if row.last_entry else "—",
        open=open_placement(context, "placement", row.pk)) for row in rows) or none
    filters = screen.filters
    return SafeString(page.format(
        endpoint=value(screen.endpoint), hidden=hidden + "\n", student=value(filters.get("student", "")),
        statuses=choices.options("statuses", filters.get("status", "")), week=value(filters.get("week", "")),
        rows=drawn))
