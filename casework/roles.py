"""The roles of DESIGN.md as Django groups (created by a data migration).

Object-level rules live in the queryset layer (SupervisionCase.objects
.visible_to); these helpers only say which role a user holds.
"""

OFFICER = "监督机构工作人员"  # supervision officer (investigator)
HEAD = "监督机构负责人"  # supervision head
LIAISON = "执法机关联络员"  # agency liaison (Art. 3)
REVIEWER = "复核人员"  # reviewer (Art. 19)

ALL_ROLES = (OFFICER, HEAD, LIAISON, REVIEWER)


def role_names(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_casework_roles", None)
    if cached is None:
        cached = set(
            user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True)
        )
        user._casework_roles = cached
    return cached


def is_head(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or HEAD in role_names(user)


def is_officer(user) -> bool:
    return OFFICER in role_names(user) or is_head(user)


def is_liaison(user) -> bool:
    return LIAISON in role_names(user)


def is_reviewer(user) -> bool:
    return REVIEWER in role_names(user)


def is_casework_staff(user) -> bool:
    return bool(role_names(user)) or bool(getattr(user, "is_superuser", False))
