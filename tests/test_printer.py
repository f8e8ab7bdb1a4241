"""calicoctl's ps/wide tables: tabwriter layout and column templates (golden data from calicoctl's tests)."""

from __future__ import annotations

from calicopy import GlobalNetworkPolicy, GlobalNetworkSet, IPPool, Tier
from calicopy.calicoctl.printer import render_table, tabwriter


def test_ippool_table_matches_calicoctl_golden() -> None:
    # calicoctl/tests/st/utils/data.py and test_crud.py: every cell TAB-terminated, width = max + 3.
    pool = IPPool.from_dict(
        {
            "metadata": {"name": "ippool-name1"},
            "spec": {"cidr": "10.0.1.0/24", "ipipMode": "Always", "nodeSelector": "foo == 'bar'"},
        }
    )
    assert render_table([pool]) == (
        "NAME           CIDR          SELECTOR       \nippool-name1   10.0.1.0/24   foo == 'bar'   \n\n"
    )


def test_ippool_wide_columns_print_never_and_go_bools() -> None:
    pool = IPPool.from_dict({"metadata": {"name": "p"}, "spec": {"cidr": "10.0.1.0/24"}})
    lines = render_table([pool], wide=True).splitlines()
    assert lines[0].split() == [
        "NAME",
        "CIDR",
        "NAT",
        "IPIPMODE",
        "VXLANMODE",
        "DISABLED",
        "DISABLEBGPEXPORT",
        "SELECTOR",
        "ASSIGNMENTMODE",
    ]
    assert lines[1].split() == ["p", "10.0.1.0/24", "false", "Never", "Never", "false", "false", "<nil>"]


def test_minimum_column_width_is_five() -> None:
    assert tabwriter([["A", "B"], ["x", "y"]]) == "A    B    \nx    y    \n"


def test_policy_order_prints_like_go() -> None:
    gnp = GlobalNetworkPolicy.from_dict(
        {"metadata": {"name": "g"}, "spec": {"order": 1000000, "tier": "default", "selector": "all()"}}
    )
    assert render_table([gnp], wide=True).splitlines()[1].split() == ["g", "default", "1e+06", "all()"]
    tier = Tier.from_dict({"metadata": {"name": "t"}, "spec": {"order": 100}})
    assert render_table([tier]).splitlines()[1].split() == ["t", "100"]


def test_nets_are_joined_and_truncated_at_80() -> None:
    nets = [f"10.0.{i}.0/24" for i in range(20)]
    gns = GlobalNetworkSet.from_dict({"metadata": {"name": "n"}, "spec": {"nets": nets}})
    cell = render_table([gns], wide=True).splitlines()[1].split()[1]
    assert len(cell) == 80 and cell.endswith("...")


def test_namespace_column_with_all_namespaces() -> None:
    from calicopy import NetworkPolicy

    np = NetworkPolicy.from_dict({"metadata": {"name": "a", "namespace": "prod"}, "spec": {"tier": "default"}})
    assert render_table([np], with_namespace=True).splitlines()[0].split() == ["NAMESPACE", "NAME", "TIER"]
