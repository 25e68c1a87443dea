"""Ordinary Arabic that the privacy guard lets through, and the near forms it must still catch.

«الحاجة» is the title of a woman back from pilgrimage, and also the everyday word for "the need":
«حسب الحاجة» (as needed) is common in case notes, so it counts as a title only before a name.
"""
import pytest

from maydan import privacy


@pytest.mark.parametrize("text", [
    "تدخلت حسب الحاجة لا أكثر، ثم راجعت الخطة مع المشرف.",
    "نحتفظ بالبيانات بقدر الحاجة وحدها.",
])
def test_the_need_is_not_a_name(text):
    assert privacy.find_identifiers(text) == []


def test_the_title_before_a_name_is_still_caught():
    assert [f.kind for f in privacy.find_identifiers("زارت الحاجة فاطمة المركز.")] == ["name"]


@pytest.mark.parametrize("text", ["قابلت العميلة فاطمة اليوم.", "اتصلت بالمريضة منى.", "تحدثت مع للعميلة: سارة"])
def test_feminine_client_words_before_a_name_are_caught(text):
    assert [f.kind for f in privacy.find_identifiers(text)] == ["name"]
