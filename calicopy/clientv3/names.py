"""Names and namespaces that must be checked before any request is made (apimachinery's rules, as
client-go applies them when it builds a request path)."""

from __future__ import annotations

import re

from ..errors import ErroredField, ValidationError

__all__ = ["check_name", "check_namespace"]

# k8s.io/apimachinery/pkg/api/validation/path: NameMayNotBe, NameMayNotContain.
_MAY_NOT_BE = (".", "..")
_MAY_NOT_CONTAIN = ("/", "%")
# k8s.io/apimachinery/pkg/util/validation: IsDNS1123Label (namespaces are labels).
_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_LABEL_MAX = 63
_DNS1123_LABEL_REASON = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def _path_segment_reasons(name: str) -> list[str]:
    if name in _MAY_NOT_BE:
        return [f"may not be '{name}'"]
    return [f"may not contain '{part}'" for part in _MAY_NOT_CONTAIN if part in name]


def check_name(kind: str, name: str) -> None:
    """A name that cannot be a URL path segment (``..``, ``a/b``) never reaches a datastore."""
    reasons = _path_segment_reasons(name)
    if reasons:
        raise ValidationError(
            [ErroredField("metadata.name", reason, name) for reason in reasons],
            kind=kind,
            name=name,
            hint="a resource name cannot be '.' or '..' or contain '/' or '%'",
        )


def check_namespace(kind: str, namespace: str | None) -> None:
    """A namespace must be a DNS-1123 label, as Kubernetes requires of namespace names."""
    if not namespace:
        return
    reasons = []
    if len(namespace) > _DNS1123_LABEL_MAX:
        reasons.append(f"must be no more than {_DNS1123_LABEL_MAX} characters")
    if not _DNS1123_LABEL.fullmatch(namespace):
        reasons.append(_DNS1123_LABEL_REASON)
    if reasons:
        raise ValidationError(
            [ErroredField("metadata.namespace", reason, namespace) for reason in reasons],
            kind=kind,
            namespace=namespace,
            hint="a namespace name is lower-case letters, digits and '-', starting and ending with a letter or digit",
        )
