"""An entry of the log as a card: its day, time, state, kinds, texts, history and the buttons its reader may
press. Written in Python rather than an included template, and kept drawn in the cache under a key made of
everything the card shows: a term's log has 150 entries and more, and after a student saves, submits or
withdraws one of them, the screen they get back draws that one entry again, not the other 149. The screen's
hidden context (its launch token, new at every launch) is written into each card as it is shown, so that the
next launch finds the cards kept too.

`STUDENT` and `REVIEW` name the buttons under a card: a student's own (edit, submit, withdraw) or a
supervisor's (approve, return, countersign, reopen).
"""
from hashlib import blake2b
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.formats import localize
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext as _, ngettext

from .. import vocab
from . import reads
from ..templatetags.maydan_rows import HIDDEN_CONTEXT, with_hidden


def _release():
    """What tells one release's cards from another's: this module's markup, the mark of the hidden context and the
    catalogs' words."""
    here = Path(__file__)
    fingerprint = blake2b(here.read_bytes() + HIDDEN_CONTEXT.encode(), digest_size=8)
    for catalog in sorted((here.parent.parent / "conf" / "locale").glob("*/LC_MESSAGES/django.mo")):
        fingerprint.update(catalog.read_bytes())
    return fingerprint.hexdigest()


RELEASE = _release()
# Long enough for a sitting of work on the log (each answer draws again only what changed), short enough that
# a course's cards do not stay in the cache after it.
KEPT_SECONDS = 3600
STUDENT, REVIEW = "student", "review"


def draw(entries, screen, course, *, actions, placement=None, may_countersign=False):
    """Give each entry its `card` (safe HTML), drawing only those whose card the cache does not hold."""
    if not entries:
        return entries
    language = translation.get_language() or ""
    shared = (RELEASE, language, course.time_zone, actions, screen.endpoint, tuple(screen.hidden),
              getattr(placement, "pk", None), may_countersign)
    histories = _histories(entries)
    keys = {}
    for entry in entries:
        shown = (shared, _fields(entry), getattr(entry, "refusal", ""), histories.get(entry.pk, ()))
        keys[entry.pk] = "maydan-card-" + blake2b(repr(shown).encode(), digest_size=20).hexdigest()
    kept = cache.get_many(list(keys.values()))
    drawn = {}
    words = None
    for entry in entries:
        card = kept.get(keys[entry.pk])
        if card is None:
            words = words or _Words(course, screen, actions, placement, may_countersign)
            card = drawn[keys[entry.pk]] = words.card(entry, histories.get(entry.pk, ()))
        entry.card = with_hidden(card, screen)
    if drawn:
        cache.set_many(drawn, KEPT_SECONDS)
    return entries


def _html(form, *values):
    """Django's format_html, without its lazy-string checks on every value: a log draws thousands of them."""
    return SafeString(form.format(*(v if isinstance(v, SafeData) else escape(str(v)) for v in values)))


def _fields(entry):
    return (entry.pk, entry.date, entry.start_time, entry.end_time, entry.minutes, entry.activity_type,
            entry.modality, entry.meeting_link, entry.time_kind, entry.agency, tuple(entry.competencies or ()),
            entry.client_code, entry.description, entry.reflection, entry.status, entry.review_comment)


def _histories(entries):
    """{entry id: ((at, actor's name, via, action, comment), …)}, oldest first."""
    found = {}
    for entry_id, at, via, action, comment, name in reads.histories([e.pk for e in entries]):
        found.setdefault(entry_id, []).append((at, name, via, action, comment))
    return {entry_id: tuple(events) for entry_id, events in found.items()}


class _Words:
    """What every card of one screen words alike, worded once: labels, buttons, the hidden context."""

    def __init__(self, course, screen, actions, placement, may_countersign):
        self.zone = ZoneInfo(course.time_zone)
        self.labels = {key: {k: str(v) for k, v in labels.items()} for key, labels in (
            ("status", vocab.STATUSES), ("activity_type", vocab.ACTIVITY_TYPES), ("modality", vocab.MODALITIES),
            ("time_kind", vocab.TIME_KINDS), ("competency", vocab.COMPETENCIES), ("action", vocab.AUDIT_ACTIONS))}
        self.minutes = {}
        self.link_actor = _("agency supervisor (link)")
        self.forms = {kind: _html('<form class="{}" method="post" action="{}">\n  {}\n', kind, screen.endpoint,
                                  HIDDEN_CONTEXT) for kind in ("maydan-inline", "maydan-review")}
        self.actions = actions
        self.placement = placement
        self.may_countersign = may_countersign
        # As a template's {% translate %}: the catalog is ours, its words are written as they are.
        self.text = {key: SafeString(value) for key, value in (
            ("client", _("client")), ("meeting", _("Meeting link")), ("competencies", _("Competencies:")),
            ("reflection", _("Reflection")), ("comment", _("Supervisor's comment:")), ("history", _("History")),
            ("edit", _("Edit")), ("submit", _("Submit")), ("withdraw", _("Withdraw")),
            ("pick", _("Select for countersigning")), ("comment_field", _("Comment")), ("approve", _("Approve")),
            ("return", _("Return")), ("countersign", _("Countersign")), ("reopen", _("Reopen")))}

    def card(self, entry, history):
        labels, text = self.labels, self.text
        parts = [_html('<article class="maydan-entry maydan-status-{}" data-entry="{}" id="entry-{}">\n  ',
                             entry.status, entry.pk, entry.pk)]
        refusal = getattr(entry, "refusal", "")
        if refusal:
            parts.append(_html('<p class="maydan-refusal" id="refusal-{}">{}</p>', entry.pk, refusal))
        parts.append(_html('\n  <header>\n    <strong><bdi dir="ltr">{}</bdi></strong>\n    ', entry.date.isoformat()))
        if entry.start_time:
            parts.append(_html('<span dir="ltr">{}–{}</span>', entry.start_time.strftime("%H:%M"),
                                     entry.end_time.strftime("%H:%M") if entry.end_time else ""))
        parts.append(_html('\n    <span>{}</span>\n    <span class="maydan-badge">{}</span>\n  </header>\n  <p>{}',
                                 self._minutes(entry.minutes), labels["status"].get(entry.status, entry.status),
                                 " · ".join(labels[name].get(value, value) for name, value in (
                                     ("activity_type", entry.activity_type), ("modality", entry.modality),
                                     ("time_kind", entry.time_kind)))))
        if entry.agency:
            parts.append(_html(" · {}", entry.agency))
        if entry.client_code:
            parts.append(_html(" · {} <bdi>{}</bdi>", text["client"], entry.client_code))
        parts.append("</p>\n  ")
        if entry.meeting_link:
            parts.append(_html('<p><a href="{}" rel="noopener" target="_blank">{}</a></p>', entry.meeting_link,
                                     text["meeting"]))
        parts.append("\n  ")
        if entry.competencies:
            parts.append(_html('<p class="maydan-competencies">{} {}</p>', text["competencies"], SafeString(", ".join(
                _html('<abbr title="{}">{}</abbr>', labels["competency"].get(c, ""), c) for c in entry.competencies))))
        parts.append("\n  ")
        if entry.description:
            parts.append(_html('<p class="maydan-text" dir="auto">{}</p>', linebreaksbr(entry.description, True)))
        parts.append("\n  ")
        if entry.reflection:
            parts.append(_html('<details><summary>{}</summary><p class="maydan-text" dir="auto">{}</p></details>',
                                     text["reflection"], linebreaksbr(entry.reflection, True)))
        parts.append("\n  ")
        if entry.review_comment:
            parts.append(_html('<p class="maydan-comment">{} <bdi>{}</bdi></p>', text["comment"],
                                     entry.review_comment))
        parts.append(_html('\n  <details class="maydan-history"><summary>{}</summary><ol>\n    ', text["history"]))
        parts.extend(self._event(*event) for event in history)
        parts.append("\n  </ol></details>\n  ")
        parts.append(self._student_actions(entry) if self.actions == STUDENT else self._review_actions(entry))
        parts.append("\n</article>\n")
        return "".join(parts)

    def _minutes(self, minutes):
        worded = self.minutes.get(minutes)
        if worded is None:
            worded = self.minutes[minutes] = ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {
                "minutes": localize(minutes)}
        return worded

    def _event(self, at, who, via, action, comment):
        local = at.astimezone(self.zone)
        if who is None:
            who = self.link_actor if via.startswith("agency link") else via
        return _html('<li><time datetime="{}"><bdi dir="ltr">{}</bdi></time> · {} · {}{}</li>', local.isoformat(),
                           local.strftime("%Y-%m-%d %H:%M"), who, self.labels["action"].get(action, action),
                           _html(": {}", comment) if comment else "")

    def _student_actions(self, entry):
        if entry.status not in (vocab.DRAFT, vocab.RETURNED, vocab.SUBMITTED):
            return "\n"
        text = self.text
        buttons = "" if entry.status == vocab.SUBMITTED else _html(
            '<button type="submit" name="action" value="view">{}</button>\n  '
            '<button type="submit" name="action" value="submit">{}</button>\n  ', text["edit"], text["submit"])
        return _html('\n{}\n  <input type="hidden" name="entry" value="{}">\n  {}\n  '
                           '<button type="submit" name="action" value="withdraw" class="maydan-quiet">{}</button>\n'
                           '</form>\n\n', self.forms["maydan-inline"], entry.pk, buttons, text["withdraw"])

    def _review_actions(self, entry):
        text, status, countersigns = self.text, entry.status, self.may_countersign
        pick = _html(
            '<label class="maydan-pick"><input type="checkbox" name="entries" value="{}" form="maydan-countersign-'
            'selected"> {}</label>', entry.pk, text["pick"]) if countersigns and status == vocab.APPROVED else ""
        if not (status == vocab.SUBMITTED or countersigns and status in (vocab.APPROVED, vocab.COUNTERSIGNED)):
            return _html("{}\n\n", pick)
        if status == vocab.SUBMITTED:
            buttons = _html('<button type="submit" name="action" value="approve" class="maydan-primary">{}</button>\n'
                                  '  <button type="submit" name="action" value="return">{}</button>',
                                  text["approve"], text["return"])
        elif status == vocab.APPROVED:
            buttons = _html('<button type="submit" name="action" value="countersign" class="maydan-primary">{}'
                                  '</button>\n  <button type="submit" name="action" value="reopen">{}</button>',
                                  text["countersign"], text["reopen"])
        else:
            buttons = _html('<button type="submit" name="action" value="reopen">{}</button>', text["reopen"])
        refusal = _html(' aria-describedby="refusal-{}"', entry.pk) if getattr(entry, "refusal", "") else ""
        return _html(
            '{}\n\n{}\n  <input type="hidden" name="entry" value="{}"><input type="hidden" name="placement" value="{}">\n'
            '  <label>{} <input type="text" name="comment" maxlength="20000"{}></label>\n  \n  {}\n  \n</form>\n\n',
            pick, self.forms["maydan-review"], entry.pk, getattr(self.placement, "pk", ""), text["comment_field"],
            refusal, buttons)
