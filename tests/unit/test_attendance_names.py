"""Suggested matches for a meeting report's names: Arabic and Latin spellings of one person."""
import pytest

from maydan.sessions.namematch import preselected, rank, skeleton

ROSTER = {
    1: "Mohamed Ahmed Hassan", 2: "Mahmoud Abdel Aziz", 3: "Omar Nabil", 4: "فاطمة الزهراء علي",
    5: "Youssef Ibrahim", 6: "نورهان مصطفى", 7: "Abdelrahman El-Sayed", 8: "Hisham Khalil / هشام خليل",
    9: "Sara Adel", 10: "Mohamed Samir", 11: "Aya Mostafa", 12: "Gehad Ashraf", 13: "ريم طارق",
    14: "Khaled Mahmoud", 15: "Chérif Abdallah", 16: "Heba Gamal",
}
PEOPLE = list(ROSTER.items())


@pytest.mark.parametrize("reported, email, expected", [
    ("محمد أحمد", "", 1),
    ("Mohammad Ahmad Hasan", "", 1),
    ("Muhammed A. Hassan", "", 1),
    ("محمود عبد العزيز", "", 2),
    ("Mahmud Abdulaziz", "", 2),
    ("عُمَر نبيل (Omar's laptop)", "", 3),
    ("Fatma Elzahraa Ali", "", 4),
    ("Fatima Al-Zahraa", "", 4),
    ("يوسف إبراهيم", "", 5),
    ("Yousef Ebrahim", "", 5),
    ("Nourhan Moustafa", "", 6),
    ("Norhan Mustafa", "", 6),
    ("عبدالرحمن السيد", "", 7),
    ("Abd El Rahman Elsayed", "", 7),
    ("Abdurrahman Al Sayyed", "", 7),
    ("Hesham Khaleel", "", 8),
    ("سارة عادل", "", 9),
    ("Sarah Adil", "", 9),
    ("محمد سمير", "", 10),
    ("آية مصطفى", "", 11),
    ("Gihad Ashraf", "", 12),
    ("جهاد أشرف", "", 12),
    ("Reem Tarek", "", 13),
    ("Reem Tariq (iPhone)", "", 13),
    ("Khalid Mahmoud", "", 14),
    ("خالد محمود", "", 14),
    ("شريف عبد الله", "", 15),
    ("Sherif Abdullah", "", 15),
    ("هبة جمال", "", 16),
    ("Hiba Jamal", "", 16),
    ("iPhone", "omar.nabil92@gmail.com", 3),
    ("Zoom user", "sara_adel@outlook.com", 9),
])
def test_a_spelling_of_a_students_name_is_suggested_for_them(reported, email, expected):
    assert preselected(rank(reported, email, PEOPLE)) == expected


@pytest.mark.parametrize("reported", ["Guest 4821", "iPhone", "Zoom user", "Dr. Hoda Samir", "Ahmed Fathy",
                                      "Mohamed", "محمد", "Samsung Galaxy A52", "Nadia Kamel"])
def test_no_one_is_chosen_for_a_stranger_or_an_ambiguous_first_name(reported):
    assert preselected(rank(reported, "", PEOPLE)) is None


def test_a_first_name_shared_by_two_students_lists_both_first():
    ranked = rank("Mohamed", "", PEOPLE)
    assert {person for _score, person in ranked[:2]} == {1, 10}


@pytest.mark.parametrize("spellings", [
    ("محمد", "Mohamed", "Mohammad", "Muhammad", "Mohammed", "Mohamad"),
    ("يوسف", "Youssef", "Yousef", "Yusuf", "Youcef"),
    ("عبد الرحمن", "Abdelrahman", "Abdel Rahman", "Abd El-Rahman", "Abdul Rahman"),
    ("هشام", "Hisham", "Hesham", "Hicham"),
    ("خالد", "Khaled", "Khalid"),
    ("جمال", "Gamal", "Jamal"),
    ("فاطمة", "Fatma", "Fatima", "Fatmah", "Fatimah"),
    ("مصطفى", "Mostafa", "Moustafa", "Mustafa", "Mustapha"),
    ("عائشة", "Aisha", "Aicha", "Aesha"),
    ("غادة", "Ghada"),
    ("ذكي", "Zaki", "Zaky"),
])
def test_spellings_of_one_name_share_a_skeleton(spellings):
    assert len({skeleton(s) for s in spellings}) == 1, {s: skeleton(s) for s in spellings}
