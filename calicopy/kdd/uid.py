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
    try:
        raw = _parse(uid)
    except UIDError as exc:
        raise UIDError(f"failed to parse UID for resource: {exc}") from None
    out = bytearray(_REVERSED[b] for b in raw)
    out[6], out[8] = raw[6], raw[8]
    h = out.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
