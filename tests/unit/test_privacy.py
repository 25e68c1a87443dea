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
        # A name right after a place named for a public figure is still a name.
        ("وحدة حماية الطفل بحي السيدة زينب فاطمة استلمت البلاغ.", [(privacy.NAME, "فاطمة")]),
        ("the unit at Ahmed Maher Hospital Mona came late", [(privacy.NAME, "Mona")]),
        # Country code written without "+": read as libphonenumber's parser reads it.
        ("رقم الهاتف 201001234567", [(privacy.PHONE, "201001234567")]),
        ("mail: ahmed.ali at gmail dot com", [(privacy.EMAIL, "ahmed.ali at gmail dot com")]),
        ("زرته في 12 شارع التحرير الدور الثالث", [(privacy.ADDRESS, "12 شارع التحرير الدور الثالث")]),
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


def _parser_says_valid(number, regions):
    """libphonenumber's own reading: parse in each region, then validate."""
    import phonenumbers

    for region in regions:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(number, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def test_phone_numbers_are_judged_as_libphonenumbers_parser_judges_them():
    """The guard reads national numbers from libphonenumber's metadata without its parser (for speed);
    it must agree with the parser on every Arab country's numbers, changed a digit or two, shortened,
    lengthened, without the trunk 0 or with the country code and no "+"."""
    import random

    import phonenumbers

    from maydan.privacy.numbers import ARAB_LEAGUE, _valid

    rng = random.Random(20261130)
    checked = 0
    for region in ARAB_LEAGUE:
        code = str(phonenumbers.country_code_for_region(region))
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            written = "".join(c for c in phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
                              if c.isdigit())
            for _ in range(150):
                digits = list(written)
                for _ in range(rng.randint(0, 2)):
                    digits[rng.randrange(len(digits))] = str(rng.randint(0, 9))
                if rng.random() < 0.2:
                    digits.pop()
                if rng.random() < 0.2:
                    digits.append(str(rng.randint(0, 9)))
                if rng.random() < 0.3 and digits[0] == "0":
                    digits.pop(0)
                if rng.random() < 0.3:
                    digits = list(code) + (digits[1:] if digits[0] == "0" else digits)
                number = "".join(digits)
                assert _valid(number, *ARAB_LEAGUE) == _parser_says_valid(number, ARAB_LEAGUE), number
                checked += 1
    assert checked > 3000
