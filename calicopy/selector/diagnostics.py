"""What a :class:`~calicopy.errors.SelectorError` tells a person beyond libcalico-go's reason.

The reason stays libcalico-go's text, byte for byte (calicoctl prints it); the tokenizer and the
parser add where the problem is, and this module adds what to write instead.
"""

from __future__ import annotations

from calicopy.errors import SelectorError

__all__ = ["hint_for", "not_text_error", "selector_error"]

_OPERATOR_HINT = "after a label comes an operator: ==, !=, in, not in, contains, starts with or ends with"

# Keyed by the reason's fixed start: several reasons end with the token or label concerned.
_HINTS: tuple[tuple[str, str], ...] = (
    ("expected ==", "Calico compares with == (or !=); a single = is not an operator"),
    ("expected &&", "'and' is written &&"),
    ("expected ||", "'or' is written ||"),
    ("unterminated string", "close the string with the quote that opened it (there are no escape sequences)"),
    (
        "expected identifier",
        "labels use only A-Z a-z 0-9 _ . / -, and only spaces and tabs may separate tokens (no newlines)",
    ),
    ("expected operator after label", _OPERATOR_HINT),
    ("expected == or != not", _OPERATOR_HINT),
    ("no closing ')' after has(", "has() takes exactly one label: has(label)"),
    ("no closing ')' after", "all() and global() take nothing between their parentheses"),
    ("label too long", "labels are at most 512 characters"),
    (
        "unexpected end of string looking for op",
        'a label alone is no test: write has(label), or compare it, e.g. label == "value"',
    ),
    ("expected string", 'the right-hand side must be a quoted string, e.g. label == "value"'),
    ("expected set literal", 'in and not in take a set, e.g. label in {"a", "b"}'),
    ("expected }", 'a set holds quoted strings separated by commas and ends with }, e.g. {"a", "b"}'),
    ("expected )", "a ( is not closed"),
    ("unexpected token: TokEOF()", "the selector ends too early: a term is missing after &&, ||, ! or ("),
    (
        "unexpected token",
        "a term is expected here: a label test, has(label), all(), global(), ( or !",
    ),
    ("unexpected content at end of selector", "join terms with && or ||"),
)


def hint_for(reason: str) -> str | None:
    """What to write instead, for one of libcalico-go's selector error reasons."""
    for start, hint in _HINTS:
        if reason.startswith(start):
            return hint
    return None


def selector_error(text: str, reason: str, position: int | None) -> SelectorError:
    """The error for ``text``: libcalico-go's ``reason`` at ``position``, with its hint."""
    return SelectorError(text, reason, position=position, hint=hint_for(reason))


def not_text_error(value: object) -> SelectorError:
    """The error for a selector that is not a ``str`` (``None``, bytes, a number...).

    libcalico-go's selectors are Go strings, so it has no verdict of its own here.
    """
    return SelectorError(
        repr(value),
        f"a selector must be a str, not {type(value).__name__}",
        hint="pass the selector's text; the empty string selects everything",
    )
