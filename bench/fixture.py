"""The benchmark's data: a large, deterministic fixture seeded straight into the database.

Each seed function makes sure its rows exist and creates only what is missing, so seeding again
reuses what is there. A later feature adds its data with one more function in SEEDS:

    def seed_courses(*, scale, stdout):
        ...  # idempotent; sizes from scale.count(full, quick=...)
        return {"course": course}  # optional: reaches page URLs as ctx.extra["course"]

    SEEDS = [seed_people, seed_notifications, seed_courses]
"""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from accounts.models import Governorate, User
from accounts.services import ROLE_CHANGED
from notifications.models import Notification

DOMAIN = "bench.ishtar.example"
# Every bench account shares this password, hashed once per seeding run.
PASSWORD = "ishtar-bench-password"


@dataclass(frozen=True)
class Scale:
    """How much data to make: the full fixture, or a tiny one for a quick check."""

    quick: bool = False

    def count(self, full: int, *, quick: int) -> int:
        return quick if self.quick else full


def email(prefix: str, number: int) -> str:
    return f"bench-{prefix}-{number:04d}@{DOMAIN}"


# The people pages are requested as: persona name -> account e-mail.
PERSONAS = {
    "trainee": email("trainee", 0),
    "mentor": email("mentor", 0),
    "manager": email("manager", 0),
}

# Arabic name parts with their Latin spelling, combined so that names differ and sort naturally.
FIRST = [
    ("مريم", "Maryam", "female"), ("حسن", "Hassan", "male"), ("فاطمة", "Fatima", "female"),
    ("مصطفى", "Mustafa", "male"), ("زهراء", "Zahraa", "female"), ("علي", "Ali", "male"),
    ("رقية", "Ruqaya", "female"), ("محمد", "Mohammed", "male"), ("آية", "Aya", "female"),
    ("عباس", "Abbas", "male"), ("هدى", "Huda", "female"), ("كرار", "Karrar", "male"),
    ("شيماء", "Shaimaa", "female"), ("سجاد", "Sajjad", "male"), ("بنين", "Baneen", "female"),
    ("أحمد", "Ahmed", "male"),
]  # fmt: skip
FATHER = [
    ("جعفر", "Jaafar"), ("كاظم", "Kadhim"), ("حيدر", "Haider"), ("صادق", "Sadiq"),
    ("جواد", "Jawad"), ("ياسين", "Yaseen"), ("عادل", "Adil"), ("رضا", "Ridha"),
    ("سلمان", "Salman"), ("نوري", "Nouri"),
]  # fmt: skip
FAMILY = [
    ("الياسري", "Al-Yasiri"), ("الخفاجي", "Al-Khafaji"), ("الشمري", "Al-Shammari"),
    ("البديري", "Al-Budairi"), ("التميمي", "Al-Tamimi"), ("الزبيدي", "Al-Zubaidi"),
    ("الحكيم", "Al-Hakeem"), ("الجبوري", "Al-Jubouri"), ("الكعبي", "Al-Kaabi"),
    ("العبيدي", "Al-Obaidi"), ("الموسوي", "Al-Musawi"), ("الطائي", "Al-Taie"),
]  # fmt: skip
GOVERNORATES = list(Governorate.values)


def _name(number: int) -> tuple[str, str, str]:
    first, first_latin, gender = FIRST[number % len(FIRST)]
    father, father_latin = FATHER[(number // len(FIRST)) % len(FATHER)]
    family, family_latin = FAMILY[(number // (len(FIRST) * len(FATHER))) % len(FAMILY)]
    return f"{first} {father} {family}", f"{first_latin} {father_latin} {family_latin}", gender


def _ensure_people(*, role: str, prefix: str, count: int, password: Callable[[], str]) -> int:
    wanted = {email(prefix, n): n for n in range(count)}
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    missing = [(address, n) for address, n in wanted.items() if address not in existing]
    if missing:
        hashed = password()
        people = []
        for address, n in missing:
            name, latin, gender = _name(n)
            people.append(
                User(
                    email=address,
                    full_name=name,
                    full_name_latin=latin,
                    gender=gender,
                    governorate=GOVERNORATES[n % len(GOVERNORATES)],
                    birth_year=1985 + n % 20,
                    role=role,
                    password=hashed,
                )
            )
        User.objects.bulk_create(people, batch_size=500)
    # A verified primary address, as allauth keeps for every person who signed up.
    users = dict(User.objects.filter(email__in=wanted).values_list("email", "pk"))
    verified = set(
        EmailAddress.objects.filter(user_id__in=users.values()).values_list("email", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=address, verified=True, primary=True)
            for address, pk in users.items()
            if address not in verified
        ],
        batch_size=500,
    )
    return len(missing)


def seed_people(*, scale: Scale, stdout) -> None:
    """Managers, mentors and trainees; the first of each role is its persona."""
    hashed: list[str] = []

    def password() -> str:
        if not hashed:
            hashed.append(make_password(PASSWORD))
        return hashed[0]

    for role, prefix, count in [
        (User.Role.MANAGER, "manager", scale.count(5, quick=2)),
        (User.Role.MENTOR, "mentor", scale.count(20, quick=3)),
        (User.Role.TRAINEE, "trainee", scale.count(1000, quick=30)),
    ]:
        created = _ensure_people(role=role, prefix=prefix, count=count, password=password)
        stdout.write(f"  {prefix}s: {count} ({created} created)\n")


def seed_notifications(*, scale: Scale, stdout) -> None:
    """Hundreds of notifications for the trainee persona (a fifth unread), a few for others."""
    persona = User.objects.get(email=PERSONAS["trainee"])
    wanted = {persona.pk: scale.count(300, quick=40)}
    others = User.objects.trainees().filter(email__endswith=f"@{DOMAIN}").exclude(pk=persona.pk)
    for pk in others.order_by("email").values_list("pk", flat=True)[: scale.count(500, quick=10)]:
        wanted[pk] = 3
    have = dict(
        Notification.objects.filter(recipient_id__in=wanted, kind=ROLE_CHANGED.key)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )
    now = timezone.now()
    rows = []
    for pk, count in wanted.items():
        for n in range(have.get(pk, 0), count):
            rows.append(
                Notification(
                    recipient_id=pk,
                    kind=ROLE_CHANGED.key,
                    params={"role": User.Role.TRAINEE},
                    url="/profile/",
                    read_at=None if n % 5 == 0 else now,
                )
            )
    Notification.objects.bulk_create(rows, batch_size=1000)
    stdout.write(f"  notifications: {sum(wanted.values())} ({len(rows)} created)\n")


# Run in order; each one idempotent.
SEEDS: list[Callable[..., dict | None]] = [seed_people, seed_notifications]


def seed(*, scale: Scale, stdout) -> dict:
    """Run every seed; what they return (objects pages link to) is merged for BenchContext.extra."""
    extra = {}
    for function in SEEDS:
        extra.update(function(scale=scale, stdout=stdout) or {})
    return extra


def personas() -> dict[str, User]:
    users = {user.email: user for user in User.objects.filter(email__in=PERSONAS.values())}
    return {name: users[address] for name, address in PERSONAS.items()}


def sizes() -> dict[str, int]:
    """What the database holds, for the results file."""
    return {
        "trainees": User.objects.trainees().count(),
        "mentors": User.objects.mentors().count(),
        "managers": User.objects.managers().count(),
        "notifications": Notification.objects.count(),
        "persona_trainee_notifications": Notification.objects.filter(
            recipient__email=PERSONAS["trainee"]
        ).count(),
    }
