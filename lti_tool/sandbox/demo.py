"""Who and what the sandbox platform knows: demo courses and people, one LTI role each."""
from django.utils.translation import gettext_lazy as _

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"

COURSES = {
    "field-training-1": {"title": "Field Training I · التدريب الميداني ١", "label": _("Field Training I")},
    "field-training-2": {"title": "Field Training II · التدريب الميداني ٢", "label": _("Field Training II")},
}

# login_hint / sub -> LTI role, name, email, and for the Mentor the students in their scope.
PEOPLE = {
    "student_1": {"role": "Learner", "name": "Sara Adel", "label": _("Student 1 (Learner)")},
    "student_2": {"role": "Learner", "name": "Omar Nabil", "label": _("Student 2 (Learner)")},
    "instructor": {"role": "Instructor", "name": "Dr. Hoda Samir",
                   "label": _("Academic supervisor (Instructor)")},
    "mentor": {"role": "Mentor", "name": "Rami Fawzy", "mentees": ["student_1"],
               "label": _("Agency supervisor of Student 1 (Mentor)")},
    "admin": {"role": "Administrator", "name": "Amal Hassan", "label": _("Field coordinator (Administrator)")},
}
for _sub, _person in PEOPLE.items():
    _person.setdefault("email", f"{_sub.replace('_', '')}@sandbox.maydan.example")
    _person["roles"] = [LIS + _person["role"]]
