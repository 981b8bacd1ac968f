"""The permission table: one row per permission, deny by default, inactive refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.enums import Role
from desk_app.core.errors import PermissionDenied
from desk_app.core.permissions import (
    ROLES,
    Permission,
    allowed,
    check_actor,
    check_permission,
)


@pytest.mark.parametrize("permission", list(Permission))
def test_every_permission_has_a_row_that_names_at_least_the_administrator(permission):
    assert permission in ROLES, f"{permission} has no row in the permission table"
    assert Role.ADMINISTRATOR in ROLES[permission]


def test_the_table_holds_nothing_but_permissions_and_roles():
    assert set(ROLES) == set(Permission)
    assert all(isinstance(role, Role) for roles in ROLES.values() for role in roles)


@pytest.mark.parametrize(("permission", "holders"), [
    (Permission.CHANGE_POLICY, {Role.ADMINISTRATOR}),
    (Permission.MANAGE_PEOPLE, {Role.ADMINISTRATOR}),
    (Permission.IMPORT, {Role.ADMINISTRATOR}),
    (Permission.DECLARE_MAJOR, {Role.INCIDENT_MANAGER, Role.ADMINISTRATOR}),
    (Permission.CANCEL, {Role.SERVICE_DESK, Role.INCIDENT_MANAGER, Role.ADMINISTRATOR}),
    (Permission.CONVERT, {Role.SERVICE_DESK, Role.INCIDENT_MANAGER, Role.ADMINISTRATOR}),
    (Permission.LOG, set(Role)),
    (Permission.WORKLOG, set(Role)),
    (Permission.LINK, set(Role)),
])
def test_the_roles_that_hold_a_permission(permission, holders):
    assert {role for role in Role if allowed(role, permission)} == holders


@given(st.sampled_from(list(Role)), st.sampled_from(list(Permission)))
def test_check_refuses_exactly_what_the_table_does_not_grant(role, permission):
    if role in ROLES[permission]:
        check_permission(role, permission)
    else:
        with pytest.raises(PermissionDenied) as refusal:
            check_permission(role, permission)
        assert permission.label in refusal.value.message
        assert role.value in refusal.value.message


def test_a_name_that_is_not_a_permission_is_refused_not_allowed():
    assert not allowed(Role.ADMINISTRATOR, "log")  # a string is no row of the table
    with pytest.raises(TypeError):
        check_permission(Role.ADMINISTRATOR, "log")


@given(st.sampled_from(list(Role)), st.sampled_from(list(Permission)))
def test_an_inactive_technician_is_refused_every_permission(role, permission):
    with pytest.raises(PermissionDenied, match="technician sam is deactivated"):
        check_actor("sam", role, False, permission)
