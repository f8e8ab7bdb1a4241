"""What Calico provides without anyone creating it (libcalico-go ``lib/resources/static.go``): the
``projectcalico-default-allow`` profile every datastore shows, at revision ``"1"``."""

from __future__ import annotations

from .generated.profile import Profile

__all__ = ["DEFAULT_ALLOW_PROFILE", "default_allow_profile"]

DEFAULT_ALLOW_PROFILE = "projectcalico-default-allow"


def default_allow_profile() -> Profile:
    """A new copy of the static profile: allow everything both ways."""
    return Profile.from_storage(
        {
            "kind": "Profile",
            "apiVersion": "projectcalico.org/v3",
            "metadata": {"name": DEFAULT_ALLOW_PROFILE, "resourceVersion": "1"},
            "spec": {"ingress": [{"action": "Allow"}], "egress": [{"action": "Allow"}]},
        }
    )
