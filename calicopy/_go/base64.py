"""Go's ``encoding/base64``: what calicopy needs of it, ``StdEncoding.DecodeString``."""

from __future__ import annotations

__all__ = ["std_decode"]


def std_decode(text: str) -> bytes:
    """Go's ``base64.StdEncoding.DecodeString`` (what encoding/json applies to ``[]byte`` fields):
    padding required, ``\\r``/``\\n`` skipped anywhere, no strict check of the last bits;
    :class:`ValueError` says ``illegal base64 data at input byte N`` with Go's N."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    values: list[int] = []
    quantum = 0  # characters of the current 4-character group
    i, n = 0, len(text)

    def corrupt(at: int) -> ValueError:
        return ValueError(f"illegal base64 data at input byte {at}")

    while i < n:
        char = text[i]
        i += 1
        if char in "\r\n":
            continue
        if char != "=":
            index = alphabet.find(char)
            if index < 0:
                raise corrupt(i - 1)
            values.append(index)
            quantum = (quantum + 1) % 4
            continue
        if quantum in (0, 1):  # padding where a data character must be
            raise corrupt(i - 1)
        if quantum == 2:  # "==" is needed: the second "=" after any line breaks
            while i < n and text[i] in "\r\n":
                i += 1
            if i == n:
                raise corrupt(n)
            if text[i] != "=":
                raise corrupt(i - 1)
            i += 1
        while i < n and text[i] in "\r\n":
            i += 1
        if i < n:  # data after the padding
            raise corrupt(i)
        quantum = 0
        break
    if quantum:  # the input ended inside a group: StdEncoding requires padding
        raise corrupt(n - quantum)
    out = bytearray()
    for start in range(0, len(values), 4):
        group = values[start : start + 4]
        bits = 0
        for v in group:
            bits = (bits << 6) | v
        bits <<= 6 * (4 - len(group))
        out.extend(bits.to_bytes(3, "big")[: len(group) * 6 // 8])
    return bytes(out)
