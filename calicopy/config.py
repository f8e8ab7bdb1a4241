"""``CalicoAPIConfig``: calicoctl's client configuration (``/etc/calico/calicoctl.cfg`` or the environment).

The model follows ``libcalico-go/lib/apiconfig/apiconfig.go`` at v3.32.1: the etcd and
Kubernetes settings are inlined into ``spec``.  Fields that hold secrets (passwords, tokens,
private keys, inline kubeconfigs) are left out of ``repr()`` so they never reach a log.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from .resources.meta import ObjectMeta
from .resources.model import CalicoModel, GoField
from .resources.types import GoFloat

__all__ = ["SECRET_FIELDS", "CalicoAPIConfig", "CalicoAPIConfigSpec", "DatastoreType"]

DatastoreType = str
ETCDV3 = "etcdv3"
KUBERNETES = "kubernetes"

# JSON names of the settings whose values must never be shown.
SECRET_FIELDS = frozenset({"etcdPassword", "etcdKey", "k8sAPIToken", "kubeconfigInline"})


def _secret(default: str, alias: str) -> str:
    return Field(default, alias=alias, repr=False)


class CalicoAPIConfigSpec(CalicoModel):
    """Where the datastore is and how to reach it (every field of libcalico-go's spec, inlined as Go does)."""

    datastore_type: Annotated[str, GoField(enum=("etcdv3", "kubernetes"))] = Field("", alias="datastoreType")
    # etcd
    etcd_endpoints: Annotated[str, GoField()] = Field("", alias="etcdEndpoints")
    etcd_discovery_srv: Annotated[str, GoField()] = Field("", alias="etcdDiscoverySrv")
    etcd_username: Annotated[str, GoField()] = Field("", alias="etcdUsername")
    etcd_password: Annotated[str, GoField()] = _secret("", "etcdPassword")
    etcd_key_file: Annotated[str, GoField()] = Field("", alias="etcdKeyFile")
    etcd_cert_file: Annotated[str, GoField()] = Field("", alias="etcdCertFile")
    etcd_ca_cert_file: Annotated[str, GoField()] = Field("", alias="etcdCACertFile")
    etcd_key: Annotated[str, GoField()] = _secret("", "etcdKey")
    etcd_cert: Annotated[str, GoField()] = Field("", alias="etcdCert", repr=False)
    etcd_ca_cert: Annotated[str, GoField()] = Field("", alias="etcdCACert", repr=False)
    # Kubernetes
    kubeconfig: Annotated[str, GoField()] = Field("", alias="kubeconfig")
    k8s_api_endpoint: Annotated[str, GoField()] = Field("", alias="k8sAPIEndpoint")
    k8s_key_file: Annotated[str, GoField()] = Field("", alias="k8sKeyFile")
    k8s_cert_file: Annotated[str, GoField()] = Field("", alias="k8sCertFile")
    k8s_ca_file: Annotated[str, GoField()] = Field("", alias="k8sCAFile")
    k8s_api_token: Annotated[str, GoField()] = _secret("", "k8sAPIToken")
    k8s_insecure_skip_tls_verify: Annotated[bool, GoField()] = Field(False, alias="k8sInsecureSkipTLSVerify")
    k8s_disable_node_poll: Annotated[bool, GoField()] = Field(False, alias="k8sDisableNodePoll")
    use_pod_cidr: Annotated[bool, GoField()] = Field(False, alias="usePodCIDR")
    kubeconfig_inline: Annotated[str, GoField()] = _secret("", "kubeconfigInline")
    k8s_client_qps: Annotated[GoFloat, GoField()] = Field(0.0, alias="k8sClientQPS")
    k8s_client_burst: Annotated[int, GoField()] = Field(0, alias="k8sClientBurst")
    k8s_current_context: Annotated[str, GoField()] = Field("", alias="k8sCurrentContext")
    calico_api_group: Annotated[str, GoField()] = Field("", alias="calicoAPIGroup")


class CalicoAPIConfig(CalicoModel):
    """calicoctl's ``CalicoAPIConfig`` document (``apiVersion: projectcalico.org/v3``)."""

    KIND: ClassVar[str] = "CalicoAPIConfig"

    kind: Annotated[str, GoField(omit="empty")] = Field("CalicoAPIConfig", alias="kind")
    api_version: Annotated[str, GoField(omit="empty")] = Field("projectcalico.org/v3", alias="apiVersion")
    metadata: Annotated[ObjectMeta, GoField()] = Field(default_factory=ObjectMeta, alias="metadata")
    spec: Annotated[CalicoAPIConfigSpec, GoField()] = Field(default_factory=CalicoAPIConfigSpec, alias="spec")
