"""factory_boy factories with valid, minimal defaults. Later apps add theirs beside these."""

import factory

from accounts.models import Governorate, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"متدرب رقم {n}")
    full_name_latin = factory.Sequence(lambda n: f"Trainee Number {n}")
    governorate = Governorate.NAJAF
    role = User.Role.TRAINEE
    preferred_language = "ar"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Give the account a verified primary e-mail, as allauth expects after sign-up."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        self.save()
        EmailAddress.objects.update_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )


class TraineeFactory(UserFactory):
    role = User.Role.TRAINEE


class MentorFactory(UserFactory):
    role = User.Role.MENTOR
    full_name = factory.Sequence(lambda n: f"مرشد رقم {n}")
    full_name_latin = factory.Sequence(lambda n: f"Mentor Number {n}")


class ManagerFactory(UserFactory):
    role = User.Role.MANAGER
    full_name = factory.Sequence(lambda n: f"مدير برنامج {n}")
    full_name_latin = factory.Sequence(lambda n: f"Manager {n}")


class StaffFactory(UserFactory):
    role = User.Role.MANAGER
    is_staff = True
    is_superuser = True
    full_name = factory.Sequence(lambda n: f"موظف {n}")
