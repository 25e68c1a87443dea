"""Ordinary Arabic that the privacy guard should let through (found while writing the course's cases).

«الحاجة» is the title of a woman back from pilgrimage, and also the everyday word for "the need":
«حسب الحاجة» (as needed) is common in case notes. The guard reads every «الحاجة» as a title and the
word after it as a name, so a student's sound reflection is refused.
"""
import pytest

from maydan import privacy


@pytest.mark.xfail(reason="maydan.privacy reads «الحاجة» (the need) as the title Hajja and refuses the next word",
                   strict=True)
@pytest.mark.parametrize("text", [
    "تدخلت حسب الحاجة لا أكثر، ثم راجعت الخطة مع المشرف.",
    "نحتفظ بالبيانات بقدر الحاجة وحدها.",
])
def test_the_need_is_not_a_name(text):
    assert privacy.find_identifiers(text) == []


def test_the_title_before_a_name_is_still_caught():
    assert [f.kind for f in privacy.find_identifiers("زارت الحاجة فاطمة المركز.")] == ["name"]
