"""The directory's public pages, rendered from factory data, for the validators."""

from members.models import Lawyer
from tests.members.factories import LawFirmFactory, LawyerFactory


def directory_pages() -> list[str]:
    """Create a firm with two pages of lawyers; return the address of every kind of page.

    All but the two empty forms count as lookups against the client's limit.
    """
    firm = LawFirmFactory(name="湖南天地人律师事务所", founded="2001-05-01")
    LawyerFactory.create_batch(21, person__name="张伟", firm=firm)
    LawyerFactory(person__name="张伟", practice_status=Lawyer.Status.SUSPENDED)
    return [
        "/lawyers/lookup/",
        "/lawyers/lookup/?name=张伟",
        "/lawyers/lookup/?name=张伟&page=2",
        "/lawyers/lookup/?name=无此人",
        "/lawyers/lookup/?name=&license_number=123&firm=天",
        "/firms/lookup/",
        "/firms/lookup/?name=天地人",
        "/firms/lookup/?credit_code=91110000600037341L",
        firm.get_absolute_url(),
        f"{firm.get_absolute_url()}?page=2",
    ]
