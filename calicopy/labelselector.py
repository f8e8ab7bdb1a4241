"""Kubernetes label selectors (``k8s.io/apimachinery/pkg/labels``): parse and match.

Shared by the Kubernetes backend (which filters derived objects itself), the in-memory store and
the fake API server.  Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import LabelSelectorError

__all__ = ["LabelSelector", "LabelSelectorError", "parse_label_selector"]


_SELECTOR_TOKEN = re.compile(r"\s*(?:(?P<op>!=|==|=|!|\(|\)|,|<|>)|(?P<word>[^\s!=(),<>]+))")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_LABEL_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def _check_key(key: str) -> None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS_SUBDOMAIN.match(prefix)):
        raise LabelSelectorError(
            f'unable to parse requirement: key: Invalid value: "{key}": prefix part must be a DNS-1123 subdomain'
        )
    if not name or len(name) > 63 or not _LABEL_NAME.match(name):
        raise LabelSelectorError(
            f'unable to parse requirement: key: Invalid value: "{key}": name part must consist of alphanumeric '
            "characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        )


def _check_value(value: str) -> None:
    if len(value) > 63 or not _LABEL_VALUE.match(value):
        raise LabelSelectorError(
            f'unable to parse requirement: values[0]: Invalid value: "{value}": a valid label must be an empty string '
            "or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        )


@dataclass(frozen=True, slots=True)
class _Requirement:
    key: str
    op: str  # "in", "notin", "exists", "!", "gt", "lt"
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        if self.op == "exists":
            return present
        if self.op == "!":
            return not present
        if self.op == "in":
            return present and labels[self.key] in self.values
        if self.op == "notin":
            return not present or labels[self.key] not in self.values
        if not present:
            return False
        try:
            have = int(labels[self.key])
        except ValueError:
            return False
        bound = int(next(iter(self.values)))
        return have > bound if self.op == "gt" else have < bound


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """A parsed Kubernetes label selector (all requirements must match; empty matches everything)."""

    requirements: tuple[_Requirement, ...] = ()

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements


def parse_label_selector(text: str | None) -> LabelSelector:
    """Parse Kubernetes label-selector syntax: ``a=b``, ``a==b``, ``a!=b``, ``a in (x,y)``,
    ``a notin (x)``, ``a``, ``!a``, ``a>1``, ``a<1``, comma-separated.  Raises :class:`LabelSelectorError`."""
    if not text or not text.strip():
        return LabelSelector()
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _SELECTOR_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise LabelSelectorError(f"unable to parse requirement: found unexpected character at {pos} in {text!r}")
        if m.group("op"):
            tokens.append(("op", m.group("op")))
        else:
            word = m.group("word")
            tokens.append(("kw", word) if word in ("in", "notin") else ("word", word))
        pos = m.end()
    reqs: list[_Requirement] = []
    i = 0

    def expect_values() -> frozenset[str]:
        nonlocal i
        if i >= len(tokens) or tokens[i] != ("op", "("):
            raise LabelSelectorError(f"unable to parse requirement: found '{_tok(i)}', expected: '('")
        i += 1
        values: list[str] = []
        while True:
            if i < len(tokens) and tokens[i] == ("op", ")"):
                i += 1
                break
            if i < len(tokens) and tokens[i][0] in ("word", "kw"):
                values.append(tokens[i][1])
                i += 1
            else:
                values.append("")
            if i < len(tokens) and tokens[i] == ("op", ","):
                i += 1
                continue
            if i < len(tokens) and tokens[i] == ("op", ")"):
                i += 1
                break
            raise LabelSelectorError(f"unable to parse requirement: found '{_tok(i)}', expected: ',', or ')'")
        if not values:
            raise LabelSelectorError(
                "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty"
            )
        for v in values:
            _check_value(v)
        return frozenset(values)

    def _tok(j: int) -> str:
        return tokens[j][1] if j < len(tokens) else "EOS"

    while i < len(tokens):
        negate = False
        if tokens[i] == ("op", "!"):
            negate = True
            i += 1
        if i >= len(tokens) or tokens[i][0] != "word":
            raise LabelSelectorError(f"unable to parse requirement: found '{_tok(i)}', expected: identifier")
        key = tokens[i][1]
        _check_key(key)
        i += 1
        if negate:
            reqs.append(_Requirement(key, "!"))
        elif i >= len(tokens) or tokens[i] == ("op", ","):
            reqs.append(_Requirement(key, "exists"))
        else:
            kind, op = tokens[i]
            i += 1
            if kind == "kw":
                reqs.append(_Requirement(key, op, expect_values()))
            elif op in ("=", "==", "!=", "<", ">"):
                value = ""
                if i < len(tokens) and tokens[i][0] in ("word", "kw"):
                    value = tokens[i][1]
                    i += 1
                _check_value(value)
                if op in ("<", ">"):
                    try:
                        int(value)
                    except ValueError:
                        raise LabelSelectorError(
                            f"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer: {value!r}"
                        ) from None
                    reqs.append(_Requirement(key, "gt" if op == ">" else "lt", frozenset([value])))
                else:
                    reqs.append(_Requirement(key, "notin" if op == "!=" else "in", frozenset([value])))
            else:
                raise LabelSelectorError(
                    f"unable to parse requirement: found '{op}', expected: in, notin, =, ==, !=, gt, lt"
                )
        if i < len(tokens):
            if tokens[i] != ("op", ","):
                raise LabelSelectorError(f"unable to parse requirement: found '{_tok(i)}', expected: ','")
            i += 1
            if i >= len(tokens):
                raise LabelSelectorError("unable to parse requirement: found 'EOS', expected: identifier")
    return LabelSelector(tuple(reqs))
