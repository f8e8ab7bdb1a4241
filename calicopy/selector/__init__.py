"""Calico's label-selector language, as implemented by libcalico-go v3.32.1.

>>> sel = parse("role == 'database' && has(tier)")
>>> str(sel)
'(role == "database" && has(tier))'
>>> sel.matches({"role": "database", "tier": ""})
True
>>> parse("env != 'prod'").matches({})
True

See ``docs/selectors.md`` for the grammar, the evaluation rules and the canonical form.
"""

from __future__ import annotations

from calicopy.errors import SelectorError
from calicopy.selector.ast import (
    All,
    And,
    Global,
    Has,
    LabelContains,
    LabelEndsWith,
    LabelEq,
    LabelIn,
    LabelNe,
    LabelNotIn,
    LabelStartsWith,
    Node,
    Not,
    Or,
    Selector,
    make_unique_id,
)
from calicopy.selector.parser import (
    contains_global,
    is_global_only,
    normalise,
    parse,
    parse_cached,
    validate,
)
from calicopy.selector.tokenizer import MAX_LABEL_LENGTH, Kind, Token, tokenize, valid_label

__all__ = [
    "MAX_LABEL_LENGTH",
    "All",
    "And",
    "Global",
    "Has",
    "Kind",
    "LabelContains",
    "LabelEndsWith",
    "LabelEq",
    "LabelIn",
    "LabelNe",
    "LabelNotIn",
    "LabelStartsWith",
    "Node",
    "Not",
    "Or",
    "Selector",
    "SelectorError",
    "Token",
    "contains_global",
    "is_global_only",
    "make_unique_id",
    "normalise",
    "parse",
    "parse_cached",
    "tokenize",
    "valid_label",
    "validate",
]
