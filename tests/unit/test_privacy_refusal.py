"""A text refused for naming a client: the writer sees what and where; nothing of it is kept."""
import logging

import pytest
from django.apps import apps
from django.core import serializers
from django.core.cache import caches
from django.utils import translation

from maydan import fieldlog
from maydan.errors import Invalid
from maydan.templatetags.maydan import field_errors
from tests.conftest import entry_form

SECRET_PHONE = "٠١١١٢٢٢٣٣٣٤"
SECRET_NAME = "مُحَمَّد"
REFLECTION = f"اتصلت بأم {SECRET_NAME} على {SECRET_PHONE} لتأكيد الموعد، ثم راجعت خطة التدخل مع المشرف."


def _refused(student):
    with pytest.raises(Invalid) as refused:
        fieldlog.save_entry(student, entry_form(reflection=REFLECTION))
    return refused.value


def test_the_refusal_highlights_each_identifier_and_names_its_kind_in_arabic(cohort):
    with translation.override("ar"):
        refusal = _refused(cohort.student)
        html = str(field_errors(refusal.field_errors, "reflection"))
    assert f"<mark>{SECRET_PHONE}</mark>" in html and f"<mark>بأم {SECRET_NAME}</mark>" in html
    assert "رقم هاتف" in html and "اسم شخص" in html and "C-014" in html
    assert html.count('class="maydan-field-error"') == 2


def test_the_refusal_is_worded_in_english_too(cohort):
    with translation.override("en"):
        refusal = _refused(cohort.student)
        messages = [str(m) for m in refusal.field_errors["reflection"]]
        html = str(field_errors(refusal.field_errors, "reflection"))
    assert any("phone number" in m and SECRET_PHONE in m for m in messages)  # plain text for JSON answers
    assert "Found a phone number, highlighted below." in html


def test_nothing_of_a_refused_text_is_kept_in_the_database_the_cache_or_the_logs(cohort, caplog):
    caplog.set_level(logging.DEBUG)
    _refused(cohort.student)
    kept = "".join(serializers.serialize("json", model.objects.all())
                   for model in apps.get_app_config("maydan").get_models())
    for secret in (SECRET_PHONE, "01112223334", SECRET_NAME, "لتأكيد الموعد"):
        assert secret not in kept
        assert secret not in caplog.text
        for alias in caches:
            assert not any(secret.encode() in value for value in _cached_values(caches[alias]))


def _cached_values(cache):
    """Every value a cache holds, as bytes: the local-memory store's, or each key's on a Redis server."""
    store = getattr(cache, "_cache", {})
    if isinstance(store, dict):
        return [value for value in store.values() if isinstance(value, bytes)]
    client = store.get_client()
    return [client.get(key) or b"" for key in client.scan_iter()]
