"""How long the attendance review takes to suggest students for unmatched report rows, and whether the
shortlist (rapidfuzz's set ratio in C, then the careful score for 25 people) chooses as the full score does.

Run: .venv/bin/python benchmarks/attendance_names.py [--rows 300] [--students 200]
Names are drawn from common Egyptian first and family names, in Arabic and in several Latin spellings.
"""
import argparse
import random
import time

from maydan.sessions import namematch

FIRST = ["Mohamed", "Mohammad", "محمد", "Ahmed", "أحمد", "Sara", "سارة", "Omar", "عمر", "Fatma", "فاطمة", "Youssef",
         "يوسف", "Nourhan", "نورهان", "Hisham", "هشام", "Aya", "آية", "Khaled", "خالد", "Mahmoud", "محمود", "Reem"]
FAMILY = ["Hassan", "حسن", "Ali", "علي", "Ibrahim", "إبراهيم", "Mostafa", "مصطفى", "El-Sayed", "السيد", "Nabil",
          "نبيل", "Samir", "سمير", "Tarek", "طارق", "Abdel Aziz", "عبد العزيز", "Gamal", "جمال"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--students", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    people = [(i, " ".join([rng.choice(FIRST)] + rng.sample(FAMILY, 3))) for i in range(args.students)]
    rows = [" ".join([rng.choice(FIRST)] + rng.sample(FAMILY, 2)) for _ in range(args.rows)]
    start = time.perf_counter()
    shortlisted = [namematch.preselected(namematch.rank(row, "", people)) for row in rows]
    took = time.perf_counter() - start
    print(f"{args.rows} rows x {args.students} students: {took:.2f} s ({1000 * took / args.rows:.1f} ms a row)")
    namematch.SHORTLIST = len(people) + 1
    start = time.perf_counter()
    full = [namematch.preselected(namematch.rank(row, "", people)) for row in rows]
    print(f"without the shortlist: {time.perf_counter() - start:.2f} s; same choice for "
          f"{sum(a == b for a, b in zip(shortlisted, full))} of {args.rows} rows")


if __name__ == "__main__":
    main()
