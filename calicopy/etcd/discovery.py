"""etcd endpoints from DNS SRV records (``etcdDiscoverySrv``), as etcd's ``srv.GetClient("etcd-client", domain, "")``.

The records ``_etcd-client-ssl._tcp.<domain>`` (https) and ``_etcd-client._tcp.<domain>`` (http)
name the endpoints.  Python's standard library has no SRV lookup, so this module asks the first
name server of ``/etc/resolv.conf`` itself (one UDP question per record name); :func:`parse_srv_answer`
is the pure part.
"""

from __future__ import annotations

import dataclasses
import random
import socket
import struct

from ..errors import ConfigError
from .connection import EtcdConnection

__all__ = ["parse_srv_answer", "resolve_endpoints", "srv_query"]

_SRV = 33
_SERVICES = (("_etcd-client-ssl._tcp", "https"), ("_etcd-client._tcp", "http"))


def srv_query(name: str, ident: int) -> bytes:
    """A DNS question for the SRV records of ``name`` (recursion desired)."""
    header = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(p)]) + p.encode("idna") for p in name.rstrip(".").split(".") if p)
    return header + labels + b"\0" + struct.pack(">HH", _SRV, 1)


def _read_name(message: bytes, offset: int) -> tuple[str, int]:
    labels: list[str] = []
    end = -1
    for _ in range(128):
        length = message[offset]
        if length & 0xC0 == 0xC0:
            if end < 0:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | message[offset + 1]
            continue
        if length == 0:
            return ".".join(labels), (end if end >= 0 else offset + 1)
        labels.append(message[offset + 1 : offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length
    raise ValueError("DNS name loops")


def parse_srv_answer(message: bytes, ident: int) -> list[tuple[str, int]]:
    """(target, port) of each SRV record in a DNS answer, by priority then weight (highest first)."""
    got, flags, questions, answers = struct.unpack(">HHHH", message[:8])
    if got != ident or not flags & 0x8000:
        raise ValueError("not the answer to our question")
    if flags & 0x000F not in (0, 3):
        raise ValueError(f"DNS error code {flags & 0x000F}")
    offset = 12
    for _ in range(questions):
        _, offset = _read_name(message, offset)
        offset += 4
    records: list[tuple[int, int, str, int]] = []
    for _ in range(answers):
        _, offset = _read_name(message, offset)
        rtype, _cls, _ttl, length = struct.unpack(">HHIH", message[offset : offset + 10])
        offset += 10
        if rtype == _SRV:
            priority, weight, port = struct.unpack(">HHH", message[offset : offset + 6])
            target, _ = _read_name(message, offset + 6)
            records.append((priority, -weight, target.rstrip("."), port))
        offset += length
    return [(target, port) for _, _, target, port in sorted(records)]


def _nameserver() -> str:
    try:
        with open("/etc/resolv.conf", encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    return parts[1]
    except OSError:
        pass
    return "127.0.0.1"


def _lookup(name: str, server: str, timeout: float) -> list[tuple[str, int]]:
    ident = random.randrange(1 << 16)
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(srv_query(name, ident), (server, 53))
        message, _ = sock.recvfrom(65535)
    return parse_srv_answer(message, ident)


def resolve_endpoints(connection: EtcdConnection, *, server: str | None = None, timeout: float = 5.0) -> EtcdConnection:
    """``connection`` with the endpoints its ``discovery_srv`` domain lists (unchanged without one)."""
    if not connection.discovery_srv:
        return connection
    domain = connection.discovery_srv.rstrip(".")
    endpoints: list[str] = []
    errors: list[str] = []
    for service, scheme in _SERVICES:
        try:
            for target, port in _lookup(f"{service}.{domain}", server or _nameserver(), timeout):
                endpoints.append(f"{scheme}://{target}:{port}")
        except (OSError, ValueError, IndexError, struct.error) as exc:
            errors.append(f"lookup {service}.{domain}: {exc}")
    if not endpoints:
        reason = "; ".join(errors) or f"no SRV records for {domain}"
        raise ConfigError(f"failed to discover etcd endpoints through SRV discovery: {reason}")
    return dataclasses.replace(connection, endpoints=tuple(endpoints))
