import factory

from members.credentials import credit_code_check_character
from members.models import LawFirm, Lawyer, Person

FACTORY_NUMBERS = 5_000_000


def credit_code(n: int) -> str:
    """A well-formed law-firm credit code, different for each n (not a real firm's)."""
    first17 = f"31440300MD{n:07d}"
    return first17 + credit_code_check_character(first17)


def license_number(n: int, year: int = 2010) -> str:
    """A well-formed licence number: area 14403, `year`, category 1, sequence n."""
    return f"14403{year}1{n:07d}"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"律师{n}")


class LawFirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LawFirm

    # Apart from the numbers tests choose themselves, such as credit_code(1).
    name = factory.Sequence(lambda n: f"样本{n}律师事务所")
    credit_code = factory.Sequence(lambda n: credit_code(FACTORY_NUMBERS + n))
    address = factory.Sequence(lambda n: f"深圳市福田区律所路{n}号")
    phone = factory.Sequence(lambda n: f"0755-8{n:07d}")


class LawyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lawyer

    person = factory.SubFactory(PersonFactory)
    license_number = factory.Sequence(lambda n: license_number(FACTORY_NUMBERS + n))
    firm = factory.SubFactory(LawFirmFactory)
    first_licensed_year = 2010
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    address = factory.Sequence(lambda n: f"深圳市南山区住宅小区{n}栋")
