import pytest
from django.core.exceptions import ValidationError

from members.credentials import CREDIT_CODE_BAD_CHECK_CHARACTER, CREDIT_CODE_NOT_LAW_FIRM
from members.models import LawFirm, Lawyer, Organization, Person
from tests.members.factories import LawFirmFactory, LawyerFactory, credit_code, license_number

pytestmark = pytest.mark.django_db

# From tests/members/test_credentials.py: a law-firm-shaped code and a real enterprise code.
LAW_FIRM_CODE = "31440300MD01234564"
ENTERPRISE_CODE = "91110000600037341L"
LICENSE_NUMBER = "11101201010123456"


def firm(**fields):
    return LawFirm(**{"name": "湖南天地人律师事务所", "credit_code": LAW_FIRM_CODE, **fields})


def lawyer(**fields):
    person = Person.objects.create(name="张三")
    return Lawyer(**{"person": person, "license_number": LICENSE_NUMBER, **fields})


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


# Law firms -----------------------------------------------------------------------------


def test_a_firm_with_a_valid_credit_code_passes_validation():
    firm().full_clean()


def test_a_credit_code_with_a_wrong_check_character_is_refused_with_the_chinese_message():
    assert errors_of(firm(credit_code="31440300MD01234565")) == {
        "credit_code": [CREDIT_CODE_BAD_CHECK_CHARACTER]
    }


def test_an_enterprise_credit_code_is_refused_for_a_law_firm():
    assert errors_of(firm(credit_code=ENTERPRISE_CODE)) == {
        "credit_code": [CREDIT_CODE_NOT_LAW_FIRM]
    }


def test_a_credit_code_typed_full_width_with_spaces_is_stored_normalised():
    typed = firm(credit_code="３１４４０３００ｍｄ ０１２３４５６４")
    typed.full_clean()
    assert typed.credit_code == LAW_FIRM_CODE


def test_two_firms_cannot_share_a_credit_code():
    LawFirmFactory(credit_code=LAW_FIRM_CODE)
    assert "credit_code" in errors_of(firm(name="另一家律师事务所"))


def test_a_firm_may_only_be_linked_to_an_organisation_of_kind_law_firm():
    bureau = Organization.objects.create(name="司法局", kind=Organization.Kind.JUSTICE_BUREAU)
    assert "organization" in errors_of(firm(organization=bureau))
    same_firm = Organization.objects.create(name="湖南天地人律师事务所", kind="law_firm")
    firm(organization=same_firm).full_clean()


def test_practising_firms_leave_out_suspended_and_dissolved_ones():
    practising = LawFirmFactory()
    LawFirmFactory(practice_status=LawFirm.Status.SUSPENDED)
    LawFirmFactory(practice_status=LawFirm.Status.DISSOLVED)
    assert list(LawFirm.objects.practising()) == [practising]


def test_firms_match_part_of_the_name_or_the_exact_credit_code():
    tiandiren = LawFirmFactory(name="湖南天地人律师事务所", credit_code=credit_code(1))
    LawFirmFactory(name="北京大成律师事务所", credit_code=credit_code(2))
    assert list(LawFirm.objects.matching(name="天地人")) == [tiandiren]
    assert list(LawFirm.objects.matching(credit_code=credit_code(1).lower())) == [tiandiren]


# Lawyers -------------------------------------------------------------------------------


def test_a_lawyer_with_a_valid_licence_number_passes_validation():
    lawyer(first_licensed_year=2010).full_clean()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1110120101012345", "执业证号应为17位数字，当前为16位。"),
        ("1110120101012345X", "执业证号只能包含数字。"),
        ("21101201010123456", "执业证号应以数字1开头。"),
        ("11101201000123456", "执业证号第10位（执业类别）应为1至9之间的数字。"),
    ],
)
def test_a_malformed_licence_number_is_refused_with_the_chinese_message(number, message):
    assert errors_of(lawyer(license_number=number))["license_number"] == [message]


def test_a_licence_number_typed_full_width_is_stored_as_ascii_digits():
    typed = lawyer(license_number="１１１０１ ２０１０ １ ０１２３４５６")
    typed.full_clean()
    assert typed.license_number == LICENSE_NUMBER


def test_the_year_first_licensed_is_read_from_the_licence_number_when_left_empty():
    new = lawyer()
    new.full_clean()
    assert new.first_licensed_year == 2010


def test_a_year_first_licensed_before_1979_is_refused():
    assert "first_licensed_year" in errors_of(lawyer(first_licensed_year=1975))


def test_practising_lawyers_leave_out_suspended_and_cancelled_ones():
    practising = LawyerFactory()
    LawyerFactory(practice_status=Lawyer.Status.SUSPENDED)
    LawyerFactory(practice_status=Lawyer.Status.CANCELLED)
    assert list(Lawyer.objects.practising()) == [practising]


def test_the_public_queryset_never_loads_phone_or_address():
    LawyerFactory()
    public = Lawyer.objects.public().get()
    assert {"phone", "address"} <= public.get_deferred_fields()


def test_lawyers_match_the_exact_name_not_part_of_it():
    zhang_san = LawyerFactory(person__name="张三")
    LawyerFactory(person__name="张三丰")
    assert list(Lawyer.objects.matching(name="张三")) == [zhang_san]
    assert list(Lawyer.objects.matching(name="张")) == []


def test_lawyers_of_the_same_name_are_told_apart_by_part_of_the_firm_name():
    LawyerFactory(person__name="张伟", firm__name="北京大成律师事务所")
    in_tiandiren = LawyerFactory(person__name="张伟", firm__name="湖南天地人律师事务所")
    assert list(Lawyer.objects.matching(name="张伟", firm="天地人")) == [in_tiandiren]


def test_a_lawyer_is_found_by_licence_number_typed_with_spaces():
    found = LawyerFactory(license_number=license_number(7))
    spaced = " ".join(license_number(7))
    assert list(Lawyer.objects.matching(license_number=spaced)) == [found]


# History -------------------------------------------------------------------------------


def test_a_change_of_firm_is_kept_in_the_history():
    moved = LawyerFactory(firm__name="甲律师事务所")
    before = moved.firm_id
    moved.firm = LawFirmFactory(name="乙律师事务所")
    moved.save()
    newest, oldest = moved.history.all()[:2]
    change = next(c for c in newest.diff_against(oldest).changes if c.field == "firm")
    assert (change.old, change.new) == (before, moved.firm_id)
