"""Who may see and record which party organisation's data: the one rule, used everywhere.

- The committee's administrators (group 党委管理员, which holds the permission
  ``party_building.manage_all_organizations``) and superusers see every organisation.
- A branch secretary's account is linked to organisations by ``OrganizationManager``; it
  sees those and the organisations under them (a general branch's branches), and nothing
  else. What it may *do* there (add, change, view) still comes from its model permissions
  (group 支部书记); deleting is for superusers only.

The admin, the staff pages, the exports and the reminders all ask this module, so the
rule cannot drift between them.
"""

from django.db.models import Exists, OuterRef, Q

from party_building.models import (
    BranchActivity,
    Commitment,
    Membership,
    OrganizationManager,
    PartyMember,
    PartyOrganization,
)

MANAGE_ALL = "party_building.manage_all_organizations"


def sees_everything(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(MANAGE_ALL)))


def organizations_for(user):
    """The party organisations ``user`` may see: a QuerySet, usable as a subquery."""
    if not (user.is_authenticated and user.is_active):
        return PartyOrganization.objects.none()
    if sees_everything(user):
        return PartyOrganization.objects.all()
    managed = OrganizationManager.objects.filter(user=user).values("organization")
    # Two levels below: committee → general branch → branch.
    return PartyOrganization.objects.filter(
        Q(pk__in=managed) | Q(parent__in=managed) | Q(parent__parent__in=managed)
    )


def can_manage(user, organization) -> bool:
    """Whether ``user`` may see and record the data of ``organization``."""
    if organization is None:
        return sees_everything(user)
    if sees_everything(user):
        return True
    return organizations_for(user).filter(pk=organization.pk).exists()


def has_access(user) -> bool:
    """Whether ``user`` may open the staff pages at all."""
    return sees_everything(user) or organizations_for(user).exists()


def branches_for(user):
    return organizations_for(user).filter(kind=PartyOrganization.Kind.BRANCH)


def activities_for(user):
    if sees_everything(user):
        return BranchActivity.objects.all()
    return BranchActivity.objects.filter(branch__in=organizations_for(user))


def members_for(user, *, current_only=False):
    """Members with a membership (ever, or today with ``current_only``) in the user's scope."""
    if sees_everything(user):
        return PartyMember.objects.all()
    memberships = Membership.objects.filter(organization__in=organizations_for(user))
    if current_only:
        memberships = memberships.current()
    return PartyMember.objects.filter(pk__in=memberships.values("member"))


def commitments_for(user):
    """Commitments made while the member belonged to the user's organisations, every
    commitment of the user's current members (their file moves with them on a transfer), and
    the organisations' own commitments.

    A branch the member has left keeps what was made under it and sees nothing later.
    """
    if sees_everything(user):
        return Commitment.objects.all()
    made_here = Membership.objects.valid_on(OuterRef("made_on")).filter(
        member=OuterRef("member"), organization__in=organizations_for(user)
    )
    return Commitment.objects.filter(
        Exists(made_here)
        | Q(member__in=members_for(user, current_only=True))
        | Q(branch__in=organizations_for(user))
    )


def can_manage_member(user, member) -> bool:
    """A secretary changes a member only while the member belongs to one of their branches."""
    if sees_everything(user):
        return True
    return members_for(user, current_only=True).filter(pk=member.pk).exists()
