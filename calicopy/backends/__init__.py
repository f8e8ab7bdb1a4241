"""Datastore backends: each speaks projectcalico.org/v3 models in and out (see ``base.Backend``)."""

from __future__ import annotations

from .base import Backend, ListResult, WatchEvent, WatchEventType

__all__ = ["Backend", "ListResult", "WatchEvent", "WatchEventType"]
