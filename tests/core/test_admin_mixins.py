import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser

from core.admin import StampedAdminMixin, SuperuserDeletesMixin
from core.models import Stamped
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def registered_admins():
    return list(admin.site._registry.items())


@pytest.mark.parametrize("is_superuser, may_delete", [(True, True), (False, False)])
def test_only_a_superuser_deletes(rf, is_superuser, may_delete):
    request = rf.post("/")
    request.user = UserFactory(is_staff=True, is_superuser=is_superuser)
    assert SuperuserDeletesMixin().has_delete_permission(request) is may_delete


def test_an_anonymous_user_never_deletes(rf):
    request = rf.post("/")
    request.user = AnonymousUser()
    assert not SuperuserDeletesMixin().has_delete_permission(request)


def test_every_admin_of_a_stamped_model_records_who_saved():
    stamped = [(model, model_admin) for model, model_admin in registered_admins()
               if issubclass(model, Stamped)]  # fmt: skip
    assert stamped  # articles and branch activities at least
    for model, model_admin in stamped:
        assert isinstance(model_admin, StampedAdminMixin), model


class Saved:
    def __init__(self):
        self.saved = False


class Base:
    def save_model(self, request, obj, form, change):
        obj.saved = True


class RecordAdmin(StampedAdminMixin, Base):
    pass


def test_a_new_row_gets_its_creator_and_a_change_only_its_last_editor(rf):
    author, editor = UserFactory(), UserFactory()
    record, request = Saved(), rf.post("/")
    request.user = author
    RecordAdmin().save_model(request, record, None, change=False)
    request.user = editor
    RecordAdmin().save_model(request, record, None, change=True)
    assert (record.created_by, record.updated_by, record.saved) == (author, editor, True)
