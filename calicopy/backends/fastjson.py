"""JSON decoding for datastore answers: pydantic-core's parser, with ``json.loads``'s results.

Both datastores decode a lot of JSON (a page of 500 policies, each policy's metadata
annotation); ``pydantic_core.from_json`` does it in a fraction of ``json.loads``'s time and
returns the same values for every document it accepts (duplicate keys: the last wins; big
integers stay exact; ``NaN``/``Infinity`` are accepted).  Where it refuses a document (invalid
JSON, a lone surrogate escape, text that is not UTF-8) ``json.loads`` decides, so what is
accepted and every error raised stay ``json.loads``'s.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import from_json

__all__ = ["loads"]


def loads(data: str | bytes | bytearray) -> Any:
    """``json.loads(data)``, faster."""
    try:
        return from_json(data)
    except (ValueError, TypeError):
        return json.loads(data)
