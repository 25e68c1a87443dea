"""The student's log screen around its entry form and its cards, written in Python rather than its templates
(fieldlog/student.html with _progress, _agreement and _documents_link; what is around it, maydan.fieldlog.layout): it
is every student's first screen, and the template engine spent a millisecond on its includes, tags and filters.

Its fixed words are put in once per language and kept (`KEPT`, keyed by the language alone: nothing else is in them);
the course, the person, the placement, the agreement's goals, the hours, the messages and the screen's hidden context
are written in on every draw, escaped, as the templates wrote them.
"""
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _, ngettext

from ..numbers import screen_number
from ..templatetags.maydan_rows import hidden_inputs, progress_bar
from . import choices, layout
from .entry_form import shapes_in_language, value

# [[…]]: a word put in once per language (maydan.fieldlog.student_log.words); {…}: a value put in on every draw.
BODY = """
{returned_banner}
{agency}
{progress}
{agreement}
{documents}
{entry_form}
<section class="maydan-entries">
  <h3>[[my_entries]]</h3>
  {returned}
  <section class="maydan-week">
    <header><h4>{this_week_from}</h4>
    <form class="maydan-inline" method="post" action="{endpoint}">
      {hidden}
      <input type="hidden" name="action" value="submit_week">
      <label>[[submit_drafts]] <input type="date" name="week" value="{monday}"></label>
      <button type="submit">[[submit_week]]</button>
    </form></header>
    {this_week}
  </section>
  {earlier}
</section>
"""
RETURNED_BANNER = """<div class="maydan-warning maydan-returned-banner" role="status">
  <strong>{count}</strong>
  [[read_comment]]
  <a href="#maydan-returned">[[go_returned]]</a>
</div>"""
RETURNED = """<section id="maydan-returned" class="maydan-week">
    <h4>[[returned_to_you]]</h4>
    {cards}
  </section>"""
EARLIER = """<section class="maydan-week maydan-earlier">
    <h4>[[earlier_weeks]]</h4>
    {cards}
  </section>"""
PROGRESS = """<section class="maydan-progress" aria-labelledby="maydan-progress-title">
  <h3 id="maydan-progress-title">[[approved_hours]]</h3>
  
  {bar}
  <p class="maydan-bar-caption" data-approved-hours="{approved}">
    {caption}
    · {pending}
    · {returned}
  </p>
  
  {categories}
</section>
"""
CATEGORIES = """
  <ul class="maydan-categories">
    {items}
  </ul>
  """
CATEGORY = """
    <li>
      <span class="maydan-category-name" id="maydan-category-{key}">{name}</span>
      {bar}
      <span>{hours}</span>
    </li>
    """
AGREEMENT = """
<section class="maydan-agreement maydan-agreement-{state}" data-agreement="{state}">
  <h3>[[agreement]] <span class="maydan-badge">{label}</span></h3>
  {goals}
</section>
"""
GOALS = """
  <dl>{goals}</dl>
  """
GOAL = """
    <dt>{title}</dt>
    <dd>{goals}{activities}</dd>
  """
NO_GOALS = """
  <p class="maydan-hint">[[no_goals]]</p>
  """
DOCUMENTS = """
<section class="maydan-documents-link maydan-card" aria-labelledby="maydan-documents-title">
  <h3 id="maydan-documents-title">[[documents]]</h3>
  <p class="maydan-hint">[[documents_hint]]</p>
  <form method="post" action="{endpoint}">{hidden}
    <input type="hidden" name="view" value="documents"><input type="hidden" name="placement" value="{placement}">
    <button type="submit" name="action" value="view">[[open_documents]]</button></form>
</section>
"""
SHAPES = ("BODY", "RETURNED_BANNER", "RETURNED", "EARLIER", "PROGRESS", "CATEGORIES", "CATEGORY",
          "AGREEMENT", "GOALS", "GOAL", "NO_GOALS", "DOCUMENTS")
# {language: {shape's name: the shape with its words put in}}
KEPT = {}


def words():
    """The screen's fixed words in the active language, as the templates' {% translate "…" %} wrote them (as they are:
    a literal's translation is safe)."""
    said = {
        "my_entries": _("My entries"),
        "submit_drafts": _("Submit all drafts of the week of"), "submit_week": _("Submit week"),
        "read_comment": _("Read your supervisor's comment on each, correct it with Edit, then submit it again."),
        "go_returned": _("Go to returned entries"), "returned_to_you": _("Returned to you"),
        "earlier_weeks": _("Earlier weeks"), "approved_hours": _("Approved hours"),
        "agreement": _("Learning agreement"),
        "no_goals": _("Goals and planned activities per competency are written in the evaluation activity's "
                      "learning agreement, then signed by both supervisors."),
        "documents": _("Documents"),
        "documents_hint": _("The hours certificate, the learning agreement and released evaluations: as PDF or to "
                            "print, and to sign."),
        "open_documents": _("Open the documents")}
    return said


def _kept():
    return shapes_in_language(KEPT, {name: globals()[name] for name in SHAPES}, words, agency=lambda: _("Agency:"),
                              agency_supervisor=lambda: _("Agency supervisor"),
                              planned=lambda: _("Planned activities:"),
                              bar_label=lambda: SafeString(_("Approved hours against the target")))


def draw(screen, context):
    """The student's log screen from the values its view gathered (fieldlog.screens: `_context` and `_drawn`)."""
    kept = _kept()
    language = translation.get_language() or "en"
    hidden = hidden_inputs(screen) + "\n"
    endpoint = value(screen.endpoint)
    placement, returned, this_week = context["placement"], context["returned"], context["this_week"]
    body = kept["BODY"].format(
        returned_banner=kept["RETURNED_BANNER"].format(count=ngettext(
            "%(count)s entry was returned to you.", "%(count)s entries were returned to you.", len(returned))
            % {"count": value(len(returned))}) if returned else "",
        agency=_agency(kept, placement), progress=_progress(kept, context["progress"], language),
        agreement=_agreement(kept, context["agreement"]),
        documents=kept["DOCUMENTS"].format(endpoint=endpoint, hidden=hidden, placement=value(placement.pk)),
        entry_form=conditional_escape(context["entry_form"]),
        returned=kept["RETURNED"].format(cards=_cards(returned)) if returned else "",
        this_week_from=_("This week (from %(day)s)") % {
            "day": format_html('<bdi dir="ltr">{}</bdi>', context["monday"].isoformat())},
        endpoint=endpoint, hidden=hidden, monday=context["monday"].isoformat(),
        this_week="".join(f"{conditional_escape(entry.card)}\n    " for entry in this_week) or (
            "<p>{}</p>".format(_("Nothing logged this week yet. Record an activity above.") if context["entries"]
                               else _("No entries yet. Record your first activity above."))),
        earlier=kept["EARLIER"].format(cards=_cards(context["earlier"])) if context["earlier"] else "")
    return layout.draw(screen, context, layout.LOG, body)


def _cards(entries):
    return "".join(conditional_escape(entry.card) for entry in entries)


def _agency(kept, placement):
    if not placement.agency:
        return ""
    supervisor = placement.agency_supervisor
    named = f" · {kept['agency_supervisor']}: <bdi>{value(supervisor.name)}</bdi>" if supervisor else ""
    return (f'<p class="maydan-placement" data-placement-agency>{kept["agency"]} <bdi>{value(placement.agency)}</bdi>'
            f"{named}</p>")


def _progress(kept, progress, language):
    total = progress.total
    caption = _("%(done)s of %(target)s hours approved (%(percent)s%%)") % {
        "done": value(screen_number(total.approved_hours, language, 2)),
        "target": value(screen_number(total.target_hours, language, 0)),
        "percent": value(screen_number(total.percent, language, 0))}
    items = "".join(kept["CATEGORY"].format(
        key=value(bar.key), name=choices.category_name(bar.key),
        bar=progress_bar(percent=bar.percent, pending=None, small=True, labelledby=f"maydan-category-{bar.key}"),
        hours=_("%(done)s / %(target)s h") % {"done": value(screen_number(bar.approved_hours, language, 2)),
                                              "target": value(screen_number(bar.target_hours, language, 0))})
        for bar in progress.categories)
    return kept["PROGRESS"].format(
        bar=progress_bar(percent=total.percent, pending=total.pending_percent, label=kept["bar_label"]),
        approved=value(localize(total.approved_hours, use_l10n=False)), caption=caption,
        pending=_("%(hours)s h waiting for approval") % {"hours": value(screen_number(total.pending_hours, language,
                                                                                        2))},
        returned=_("%(hours)s h returned") % {"hours": value(screen_number(total.returned_hours, language, 2))},
        categories=kept["CATEGORIES"].format(items=items) if progress.categories else "")


def _agreement(kept, agreement):
    goals = "".join(kept["GOAL"].format(
        title=value(goal["title"]), goals=linebreaksbr(goal["goals"], autoescape=True),
        activities=f"<br><small>{kept['planned']} {value(goal['activities'])}</small>" if goal.get("activities")
        else "") for goal in agreement["goals"])
    return kept["AGREEMENT"].format(state=value(agreement["state"]), label=value(agreement["label"]),
                                    goals=kept["GOALS"].format(goals=goals) if goals else kept["NO_GOALS"])
