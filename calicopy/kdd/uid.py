"""libcalico-go's ``conversion.ConvertUID`` (``libcalico-go/lib/backend/k8s/conversion/conversion.go``).

A crd.projectcalico.org/v1 custom resource and the projectcalico.org/v3 object it backs must not
share a UID (the aggregated API server serves both), so libcalico-go derives one from the other:
the bit order inside every byte is reversed, except bytes 6 and 8, which are kept so that the UUID
version and variant survive.  Applying it twice gives the input back.
"""

from __future__ import annotations

__all__ = ["UIDError", "convert_uid"]

_REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))
_HEX = frozenset("0123456789abcdefABCDEF")


class UIDError(ValueError):
    """The UID is not a UUID in a form ``github.com/google/uuid`` ``Parse`` accepts."""


def _parse(uid: str) -> bytes:
    """google/uuid ``Parse``: canonical, ``urn:uuid:``-prefixed, ``{braced}`` or 32 bare hex digits."""
    text = uid
    if len(text) == 45:
        if text[:9].lower() != "urn:uuid:":
            raise UIDError(f"invalid urn prefix: {text[:9]!r}")
        text = text[9:]
    elif len(text) == 38:
        if text[0] != "{" or text[-1] != "}":
            raise UIDError("invalid bracketed UUID format")
        text = text[1:-1]
    elif len(text) == 32:
        if not set(text) <= _HEX:
            raise UIDError("invalid UUID format")
        return bytes.fromhex(text)
    elif len(text) != 36:
        raise UIDError(f"invalid UUID length: {len(uid)}")
    if any(text[i] != "-" for i in (8, 13, 18, 23)):
        raise UIDError("invalid UUID format")
    digits = text.replace("-", "")
    if len(digits) != 32 or not set(digits) <= _HEX:
        raise UIDError("invalid UUID format")
    return bytes.fromhex(digits)


def convert_uid(uid: str) -> str:
    """ConvertUID: the v3 UID for a v1 CR's UID and vice versa (an involution); canonical lower-case output.

    Raises :class:`UIDError` (``failed to parse UID for resource: <reason>``) for a malformed UID.
    """
    raw = _canonical(uid)
    if raw is None:
        try:
            raw = _parse(uid)
        except UIDError as exc:
            raise UIDError(f"failed to parse UID for resource: {exc}") from None
    out = bytearray(raw.translate(_REVERSED))
    out[6], out[8] = raw[6], raw[8]
    h = out.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _canonical(uid: str) -> bytes | None:
    """The bytes of a canonical ``8-4-4-4-12`` UID (what API servers hand out), else None.

    The fast path of every list item's UID: 32 hex digits between the four dashes decode to
    exactly 16 bytes (``bytes.fromhex`` would skip whitespace, which would leave fewer bytes).
    """
    if len(uid) != 36 or uid[8] != "-" or uid[13] != "-" or uid[18] != "-" or uid[23] != "-":
        return None
    try:
        raw = bytes.fromhex(uid.replace("-", ""))
    except ValueError:
        return None
    return raw if len(raw) == 16 else None
