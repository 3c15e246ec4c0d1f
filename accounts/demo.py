"""Demo people: a program manager, mentors and trainees from several governorates."""

from allauth.account.models import EmailAddress

from .models import Governorate, User

# Printed by seed_demo and the README: demo data only, never a production account.
DEMO_PASSWORD = "ishtar-demo-2026"  # noqa: S105

MANAGER = (
    "manager@ishtar.example",
    "زينب الموسوي",
    "Zainab Al-Musawi",
    "female",
    Governorate.NAJAF,
)
STAFF = ("admin@ishtar.example", "مدير النظام", "System Administrator", "", Governorate.NAJAF)
MENTORS = [
    ("mentor1@ishtar.example", "د. علي الحكيم", "Dr. Ali Al-Hakeem", "male", Governorate.NAJAF),
    (
        "mentor2@ishtar.example",
        "د. سارة الجبوري",
        "Dr. Sara Al-Jubouri",
        "female",
        Governorate.BAGHDAD,
    ),
    ("mentor3@ishtar.example", "حسين الكعبي", "Hussein Al-Kaabi", "male", Governorate.BASRA),
    (
        "mentor4@ishtar.example",
        "نور الهدى العبيدي",
        "Nour Al-Huda Al-Obaidi",
        "female",
        Governorate.KARBALA,
    ),
]
FIRST_NAMES = [
    ("مريم", "Maryam", "female"),
    ("حسن", "Hassan", "male"),
    ("فاطمة", "Fatima", "female"),
    ("مصطفى", "Mustafa", "male"),
    ("زهراء", "Zahraa", "female"),
    ("علي", "Ali", "male"),
    ("رقية", "Ruqaya", "female"),
    ("محمد", "Mohammed", "male"),
    ("آية", "Aya", "female"),
    ("عباس", "Abbas", "male"),
    ("هدى", "Huda", "female"),
    ("كرار", "Karrar", "male"),
    ("شيماء", "Shaimaa", "female"),
    ("سجاد", "Sajjad", "male"),
    ("دلنيا", "Dilnya", "female"),
    ("ئاراس", "Aras", "male"),
    ("بنين", "Baneen", "female"),
    ("أحمد", "Ahmed", "male"),
]
FAMILY_NAMES = [
    ("الياسري", "Al-Yasiri"),
    ("الخفاجي", "Al-Khafaji"),
    ("الشمري", "Al-Shammari"),
    ("البديري", "Al-Budairi"),
    ("التميمي", "Al-Tamimi"),
    ("الزبيدي", "Al-Zubaidi"),
]
TRAINEE_GOVERNORATES = [
    Governorate.NAJAF,
    Governorate.NAJAF,
    Governorate.BAGHDAD,
    Governorate.KARBALA,
    Governorate.BASRA,
    Governorate.BABIL,
    Governorate.DHI_QAR,
    Governorate.SULAYMANIYAH,
    Governorate.NINEVEH,
    Governorate.QADISIYYAH,
    Governorate.WASIT,
    Governorate.ANBAR,
]
TRAINEE_COUNT = 36


def trainees():
    """Deterministic demo trainees: (email, Arabic name, Latin name, gender, governorate)."""
    rows = []
    for i in range(TRAINEE_COUNT):
        first, first_latin, gender = FIRST_NAMES[i % len(FIRST_NAMES)]
        family, family_latin = FAMILY_NAMES[i % len(FAMILY_NAMES)]
        governorate = TRAINEE_GOVERNORATES[i % len(TRAINEE_GOVERNORATES)]
        rows.append(
            (
                f"trainee{i + 1}@ishtar.example",
                f"{first} {family}",
                f"{first_latin} {family_latin}",
                gender,
                governorate,
            )
        )
    return rows


def _person(email, name, latin, gender, governorate, *, role, staff=False, birth_year=None):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": name,
            "full_name_latin": latin,
            "gender": gender,
            "governorate": governorate,
            "role": role,
            "is_staff": staff,
            "is_superuser": staff,
            "birth_year": birth_year,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(*, stdout):
    _person(*MANAGER, role=User.Role.MANAGER, birth_year=1988)
    _person(*STAFF, role=User.Role.MANAGER, staff=True)
    for row in MENTORS:
        _person(*row, role=User.Role.MENTOR, birth_year=1980)
    for i, row in enumerate(trainees()):
        _person(*row, role=User.Role.TRAINEE, birth_year=2000 + i % 8)
    stdout.write(
        f"Demo accounts (password for all: {DEMO_PASSWORD}):\n"
        f"  program manager  {MANAGER[0]}\n"
        f"  staff/admin      {STAFF[0]}\n"
        f"  mentors          mentor1..{len(MENTORS)}@ishtar.example\n"
        f"  trainees         trainee1..{TRAINEE_COUNT}@ishtar.example"
    )
