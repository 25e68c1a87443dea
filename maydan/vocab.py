"""The field log's controlled vocabularies, with their labels in both languages."""
from django.utils.translation import gettext_lazy as _, pgettext_lazy

ACTIVITY_TYPES = {
    "interview": _("Professional interview"),
    "home_visit": _("Home visit"),
    "field_visit": _("Field visit"),
    "group_session": _("Group session"),
    "community_meeting": _("Community meeting"),
    "supervision": _("Supervision conference"),
    "e_therapy": _("E-therapy / remote client session"),
    "training": _("Training or workshop"),
    "other": pgettext_lazy("activity type", "Other"),
}

MODALITIES = {
    "in_person": _("In person"),
    "remote": _("Remote"),
    "hybrid": _("Hybrid"),
}
REMOTE_MODALITIES = frozenset({"remote", "hybrid"})

TIME_KINDS = {
    "direct": _("Direct (with clients)"),
    "indirect": _("Indirect"),
}

# CSWE 2022 EPAS: the nine social work competencies.
COMPETENCIES = {
    1: _("Demonstrate ethical and professional behavior"),
    2: _("Advance human rights and social, racial, economic, and environmental justice"),
    3: _("Engage anti-racism, diversity, equity, and inclusion in practice"),
    4: _("Engage in practice-informed research and research-informed practice"),
    5: _("Engage in policy practice"),
    6: _("Engage with individuals, families, groups, organizations, and communities"),
    7: _("Assess individuals, families, groups, organizations, and communities"),
    8: _("Intervene with individuals, families, groups, organizations, and communities"),
    9: _("Evaluate practice with individuals, families, groups, organizations, and communities"),
}

DRAFT, SUBMITTED, APPROVED, RETURNED, COUNTERSIGNED, WITHDRAWN = (
    "draft", "submitted", "approved", "returned", "countersigned", "withdrawn",
)
STATUSES = {
    DRAFT: _("Draft"),
    SUBMITTED: _("Waiting for approval"),
    APPROVED: _("Approved by agency"),
    RETURNED: _("Returned"),
    COUNTERSIGNED: _("Countersigned"),
    WITHDRAWN: _("Withdrawn"),
}
# Hours that count towards the target.
APPROVED_STATUSES = frozenset({APPROVED, COUNTERSIGNED})
# States a student may still change.
EDITABLE_STATUSES = frozenset({DRAFT, RETURNED})

PROGRAMS = {"BSW": _("Bachelor of Social Work (BSW)"), "MSW": _("Master of Social Work (MSW)")}

# What the audit trail calls each change, as shown to supervisors.
AUDIT_ACTIONS = {
    "create": _("created"),
    "edit": _("edited"),
    "submit": _("submitted"),
    "withdraw": _("withdrew"),
    "approve": _("approved"),
    "return": _("returned"),
    "countersign": _("countersigned"),
    "reopen": _("reopened"),
    "credit": _("credited from a session's attendance"),
}
