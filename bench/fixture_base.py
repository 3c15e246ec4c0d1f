"""What every part of the benchmark's fixture shares: its scale, its people's addresses and the
personas pages are requested as."""

from dataclasses import dataclass

from accounts.models import User

DOMAIN = "bench.ishtar.example"
# Every bench account shares this password, hashed once per seeding run.
PASSWORD = "ishtar-bench-password"


@dataclass(frozen=True)
class Scale:
    """How much data to make: the full fixture, or a tiny one for a quick check."""

    quick: bool = False

    def count(self, full: int, *, quick: int) -> int:
        return quick if self.quick else full


# Accounts of the scale rows (bench/fixture_scale.py) live under their own domain, so that the
# main fixture, which takes "every bench trainee", never counts them.
SCALE_DOMAIN = f"scale.{DOMAIN}"


def email(prefix: str, number: int, domain: str = DOMAIN) -> str:
    return f"bench-{prefix}-{number:04d}@{domain}"


# The people pages are requested as: persona name -> account e-mail.
PERSONAS = {
    "trainee": email("trainee", 0),
    "mentor": email("mentor", 0),
    "manager": email("manager", 0),
    # The scale rows: a second manager runs their cohorts (so that the first one's pages, such
    # as the people list, are not swollen by them), and two trainees with 1 and 20 courses.
    "scale_manager": email("manager", 1),
    "trainee_1course": email("courses", 1, SCALE_DOMAIN),
    "trainee_20courses": email("courses", 20, SCALE_DOMAIN),
}


def personas() -> dict[str, User]:
    users = {user.email: user for user in User.objects.filter(email__in=PERSONAS.values())}
    return {name: users[address] for name, address in PERSONAS.items()}
