"""calicoctl's ``handleNamespace`` (``commands/common/resources.go``): the namespace a command
works in, from the resource, ``-n/--namespace`` and ``-A/--all-namespaces``."""

from __future__ import annotations

from ..errors import NamespaceError
from ..resources.registry import KindInfo

__all__ = ["handle_namespace"]


def handle_namespace(
    info: KindInfo, resource_namespace: str, cli_namespace: str = "", all_namespaces: bool = False
) -> str:
    """The namespace to use (``""``: every namespace, for lists with ``-A``; or a cluster-scoped kind).

    Raises :class:`~calicopy.errors.NamespaceError` with calicoctl's text for the combinations
    calicoctl refuses.
    """
    kind = info.kind
    if info.namespaced:
        if all_namespaces and cli_namespace:
            raise NamespaceError("cannot use both --namespace and --all-namespaces flags at the same time", kind=kind)
        if all_namespaces:
            return ""
        if not resource_namespace:
            return cli_namespace or "default"
        if cli_namespace and resource_namespace != cli_namespace:
            raise NamespaceError(
                f"resource namespace does not match client namespace. {resource_namespace} != {cli_namespace}",
                kind=kind,
                namespace=resource_namespace,
            )
        return resource_namespace
    if resource_namespace:
        raise NamespaceError(
            f"namespace should not be specified for a non-namespaced resource. {kind} is not a namespaced resource",
            kind=kind,
            namespace=resource_namespace,
        )
    if all_namespaces or cli_namespace:
        raise NamespaceError(f"{kind} is not namespaced", kind=kind)
    return ""
