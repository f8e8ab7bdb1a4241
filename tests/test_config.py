"""CalicoAPIConfig: every libcalico-go spec field, and secrets kept out of repr()."""

from __future__ import annotations

from calicopy import CalicoAPIConfig
from calicopy.config import SECRET_FIELDS


def _config() -> CalicoAPIConfig:
    return CalicoAPIConfig.from_dict(
        {
            "apiVersion": "projectcalico.org/v3",
            "kind": "CalicoAPIConfig",
            "metadata": {},
            "spec": {
                "datastoreType": "kubernetes",
                "kubeconfig": "/root/.kube/config",
                "k8sAPIToken": "s3cr3t-token",
                "etcdPassword": "hunter2",
                "etcdKey": "-----BEGIN PRIVATE KEY-----abc",
                "kubeconfigInline": "users: [{user: {token: inline-token}}]",
                "k8sClientQPS": 50,
                "calicoAPIGroup": "crd.projectcalico.org/v1",
            },
        }
    )


def test_fields_and_names() -> None:
    cfg = _config()
    assert cfg.spec.datastore_type == "kubernetes"
    assert cfg.spec.k8s_client_qps == 50
    assert cfg.spec.calico_api_group == "crd.projectcalico.org/v1"


def test_secrets_are_not_in_repr_or_str() -> None:
    cfg = _config()
    for text in (repr(cfg), str(cfg), repr(cfg.spec), str(cfg.spec)):
        for secret in ("s3cr3t-token", "hunter2", "BEGIN PRIVATE KEY", "inline-token"):
            assert secret not in text


def test_secret_field_names_exist() -> None:
    aliases = {info.alias for info in CalicoAPIConfig.model_fields["spec"].annotation.model_fields.values()}  # type: ignore[union-attr]
    assert aliases >= SECRET_FIELDS
