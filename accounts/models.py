"""People: one account per person, e-mail as the login, the minimum personal data the programme
needs, and a global role. A person's role inside a cohort is a cohort membership (cohorts app)."""

import re

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import access


class Governorate(models.TextChoices):
    """Iraq's 18 governorates, the natural unit of place for the programme."""

    BAGHDAD = "baghdad", _("Baghdad")
    BASRA = "basra", _("Basra")
    NINEVEH = "nineveh", _("Nineveh")
    ERBIL = "erbil", _("Erbil")
    SULAYMANIYAH = "sulaymaniyah", _("Sulaymaniyah")
    DUHOK = "duhok", _("Duhok")
    KIRKUK = "kirkuk", _("Kirkuk")
    DIYALA = "diyala", _("Diyala")
    ANBAR = "anbar", _("Anbar")
    BABIL = "babil", _("Babil")
    KARBALA = "karbala", _("Karbala")
    NAJAF = "najaf", _("Najaf")
    WASIT = "wasit", _("Wasit")
    SALADIN = "saladin", _("Saladin")
    DHI_QAR = "dhi_qar", _("Dhi Qar")
    MAYSAN = "maysan", _("Maysan")
    MUTHANNA = "muthanna", _("Muthanna")
    QADISIYYAH = "qadisiyyah", _("Al-Qadisiyyah")


# Iraqi mobile numbers: 07XX XXX XXXX nationally or +964 7XX XXX XXXX internationally.
iraqi_phone_validator = RegexValidator(
    regex=r"^(?:\+9647|07)[3-9]\d{8}$",
    message=_("Enter an Iraqi mobile number such as 07701234567 or +9647701234567."),
    code="invalid_phone",
)


def normalize_phone(value: str) -> str:
    """Strip spaces and dashes and turn Arabic-Indic digits into ASCII before validation."""
    if not value:
        return ""
    table = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
    return "".join(ch for ch in value.translate(table) if ch not in " -()")


def birth_year_bounds() -> tuple[int, int]:
    this_year = timezone.localdate().year
    return this_year - 90, this_year - 10


def clean_phone(value: str) -> str:
    """Normalise, then validate, an optional phone number; shared by forms and the API."""
    phone = normalize_phone(value)
    if phone:
        iraqi_phone_validator(phone)
    return phone


# Arabic script (letters, harakat, presentation forms): the Latin name is how the name is written
# in Latin letters, for certificates and English pages.
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def clean_latin_name(value: str) -> str:
    """Normalise the spaces of an optional Latin name and refuse Arabic letters in it; shared by
    forms and the API."""
    name = " ".join((value or "").split())
    if ARABIC_SCRIPT.search(name):
        raise ValidationError(
            _(
                "Write the name in Latin letters (e.g. Ali Hassan); the Arabic name has its own field."
            ),
            code="latin_name_script",
        )
    return name


# Titles written before a name. Any word ending in a full stop is an abbreviated title too
# («د.», «أ.د.», «Dr.»); these are the ones written out or without the stop.
HONORIFICS = frozenset(
    {
        "الدكتور",
        "الدكتورة",
        "دكتور",
        "دكتورة",
        "الأستاذ",
        "الأستاذة",
        "أستاذ",
        "أستاذة",
        "المهندس",
        "المهندسة",
        "السيد",
        "السيدة",
        "الشيخ",
        "الحاج",
        "الحاجة",
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "prof",
        "eng",
        "sheikh",
    }
)


def _is_honorific(word: str) -> bool:
    return word.endswith(".") or word.casefold() in HONORIFICS


def validate_birth_year(year: int | None) -> None:
    if year is None:
        return
    low, high = birth_year_bounds()
    if not low <= year <= high:
        raise ValidationError(
            _("Enter a birth year between %(low)s and %(high)s."),
            code="birth_year_range",
            params={"low": low, "high": high},
        )


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one access path to people. Staff see everyone; a program manager sees the people
        of the cohorts they run (see accounts.access, where cohorts plugs in); anyone else sees
        only themselves."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff or user.is_superuser:
            return self.all()
        if user.role == User.Role.MANAGER:
            scope = access.manager_scope(user)
            return self.all() if scope is None else self.filter(scope)
        return self.filter(pk=user.pk)

    def trainees(self):
        return self.filter(role=User.Role.TRAINEE)

    def mentors(self):
        return self.filter(role=User.Role.MENTOR)

    def managers(self):
        return self.filter(role=User.Role.MANAGER)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", User.Role.MANAGER)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        MENTOR = "mentor", _("Mentor")
        MANAGER = "manager", _("Program manager")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name (Arabic)"), max_length=150)
    full_name_latin = models.CharField(
        _("full name (Latin letters)"),
        max_length=150,
        blank=True,
        help_text=_("As it should appear on the English side of a certificate."),
    )
    phone = models.CharField(
        _("mobile phone"), max_length=16, blank=True, validators=[iraqi_phone_validator]
    )
    governorate = models.CharField(
        _("governorate"), max_length=20, choices=Governorate.choices, blank=True
    )
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text=_("Optional. Used only to honour a preference for a mentor of the same gender."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1930), MaxValueValidator(2030)],
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ARABIC
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.TRAINEE)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        indexes = [
            # The people directory in name order: a page is read from the top of this index
            # instead of sorting everyone a manager may see.
            models.Index(fields=["full_name", "id"], name="accounts_user_by_name"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["trainee", "mentor", "manager"]),
                name="accounts_user_role_valid",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_role_display(self):
        return gendered_label(self.Role, self.role, loaded_gender(self), FEMININE_ROLES)

    def get_short_name(self, language: str | None = None):
        """The first name, after any title: «د. علي الحكيم» is «علي», not «د.». In English
        (`language` "en") of the Latin spelling when there is one: "Dr. Ali Al-Hakim" is "Ali"."""
        words = self.display_name(language).split() or [self.email]
        while len(words) > 1 and _is_honorific(words[0]):
            words.pop(0)
        return words[0]

    @property
    def greeting_name(self) -> str:
        """The short name in the active language, for templates (which cannot pass one)."""
        return self.get_short_name(translation.get_language())

    def display_name(self, language: str | None = None) -> str:
        """The name to show in a language: the Latin spelling on English pages when there is one."""
        if language == "en" and self.full_name_latin:
            return self.full_name_latin
        return self.full_name or self.email

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_mentor(self) -> bool:
        return self.role == self.Role.MENTOR

    @property
    def is_trainee(self) -> bool:
        return self.role == self.Role.TRAINEE

    @property
    def is_privileged(self) -> bool:
        """Program managers and staff: they must use a second factor in production."""
        return self.is_staff or self.is_superuser or self.is_manager

    def can_manage(self) -> bool:
        return self.is_active and self.is_privileged

    @property
    def navigation(self) -> tuple[bool, bool, bool, bool]:
        """What the main navigation depends on: (can manage, is a mentor, is a trainee, is
        staff); the shell renders the links once per value and language."""
        return (self.can_manage(), self.is_mentor, self.is_trainee, self.is_staff)


class SecondFactor(Authenticator):
    """allauth's authenticators (an authenticator app, recovery codes) as the admin lists them:
    allauth gives the model no translatable name, so the admin showed "Authenticators" in
    English under an app allauth's Arabic calls «وزارة الخارجية»."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor method")
        verbose_name_plural = _("two-factor methods")


# What a person may say about themselves and correct later (profile page, API, admin).
PERSONAL_FIELDS = (
    "full_name",
    "full_name_latin",
    "phone",
    "governorate",
    "gender",
    "birth_year",
    "preferred_language",
)

# Arabic says a woman's role and state in the feminine («متدربة», «غادرت»); English has one word
# for both. These msgids carry the context "feminine": the English catalogue leaves them empty
# (the plain word), the Arabic one gives the feminine form.
FEMININE_ROLES = {
    User.Role.TRAINEE: pgettext_lazy("feminine", "Trainee"),
    User.Role.MENTOR: pgettext_lazy("feminine", "Mentor"),
    User.Role.MANAGER: pgettext_lazy("feminine", "Program manager"),
}


def loaded_gender(person) -> str:
    """The person's gender when it was read with them, "" otherwise (never a query of its own:
    pages that list people read only the columns they show)."""
    if isinstance(person, LazyObject):  # request.user
        person = person._wrapped
    if person is None or person is empty:
        return ""
    return person.__dict__.get("gender", "")


def gendered_label(choices, value, gender: str, feminine: dict) -> str:
    """The label of `value` among `choices`, in the feminine for a woman where Arabic has one."""
    if gender == User.Gender.FEMALE and value in feminine:
        return str(feminine[value])
    try:
        return str(choices(value).label)
    except ValueError:
        return value
