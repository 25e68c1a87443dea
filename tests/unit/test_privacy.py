"""The privacy guard: client identifiers are found in Arabic and English text, codes pass."""
import pytest

from maydan import privacy


def kinds(text):
    return [(f.kind, f.text) for f in privacy.find_identifiers(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Her ID is 29801011234567.", [(privacy.NATIONAL_ID, "29801011234567")]),
        ("الرقم القومي ٢٩٨٠١٠١١٢٣٤٥٦٧ للعميلة", [(privacy.NATIONAL_ID, "٢٩٨٠١٠١١٢٣٤٥٦٧")]),
        ("call 01012345678 tomorrow", [(privacy.PHONE, "01012345678")]),
        ("call 0101 234 5678 tomorrow", [(privacy.PHONE, "0101 234 5678")]),
        ("رقمه +20 100 123 4567", [(privacy.PHONE, "+20 100 123 4567")]),
        ("landline 02-2345-6789", [(privacy.PHONE, "02-2345-6789")]),
        ("reach her on 0020 1151234567", [(privacy.PHONE, "0020 1151234567")]),
        ("هاتف ٠١٢٢٣٤٥٦٧٨٩", [(privacy.PHONE, "٠١٢٢٣٤٥٦٧٨٩")]),
        ("wrote to mona.ali@example.com", [(privacy.EMAIL, "mona.ali@example.com")]),
        ("Met client Ahmed Hassan at home", [(privacy.NAME, "Ahmed Hassan")]),
        ("the client ahmed refused", [(privacy.NAME, "ahmed")]),
        ("a woman named Laila", [(privacy.NAME, "Laila")]),
        ("Mrs. O'Brien came", [(privacy.NAME, "O'Brien")]),
        ("اسمها سعاد علي وتسكن في الجيزة", [(privacy.NAME, "سعاد علي")]),
        ("العميل محمد يشعر بالقلق", [(privacy.NAME, "محمد")]),
        ("قابلت السيدة فاطمة", [(privacy.NAME, "فاطمة")]),
    ],
)
def test_identifiers_are_found(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "client C-014 attended 2 sessions on 2025-10-12, 45 minutes",
        "the client said she is fine",
        "The Client Was late to the Zoom call",
        "العميل يشعر بالقلق من الاتصال بالفيديو",
        "Zoom meeting 823 4567 8901, 90 minutes",
        "Session from 09:00 to 11:30; 12 families reached",
        "الحالة ع-١٢ حضرت جلسة الإرشاد",
    ],
)
def test_ordinary_notes_pass(text):
    assert kinds(text) == []


def test_several_findings_keep_reading_order_and_positions():
    text = "client Ahmed, phone 01012345678, mail a@b.org"
    findings = privacy.find_identifiers(text)
    assert [f.kind for f in findings] == [privacy.NAME, privacy.PHONE, privacy.EMAIL]
    assert all(text[f.start:f.end] == f.text for f in findings)


@pytest.mark.parametrize("code, ok", [("C-014", True), ("ع-١٢", True), ("FAM/7", True), ("01012345678", False),
                                      ("Ahmed Ali", False), ("", False), ("x" * 21, False), ("29801011234567", False)])
def test_client_codes(code, ok):
    assert privacy.is_client_code(code) is ok
