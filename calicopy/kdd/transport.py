"""The one module of the Kubernetes datastore that does HTTP: sends :class:`~calicopy.kdd.requests.Request`
objects through an :class:`HTTPClient`'s connection pool.

Every request passes the rate limiter (client-go's QPS/burst token bucket); :meth:`Transport.call`
applies the retry policy (:class:`calicopy.retry.RetryPolicy`: urllib3's own retries are off).
Responses are decoded by :func:`calicopy.kdd.requests.decode_response`; failures are raised as
:class:`~calicopy.kdd.requests.ApiError` (the server answered) or
:class:`~calicopy.kdd.requests.ConnectionFailure` (no complete answer), for the caller to map.

The HTTP client is calicopy's own (:class:`calicopy.kdd.credentials.KubeHTTP`) or a
``kubernetes.client.ApiClient`` a caller passes in (:class:`ApiClientHTTP`, the only place that
reaches into that package's objects: ``ApiClient.param_serialize``, ``rest_client.pool_manager``).
"""

from __future__ import annotations

import contextlib
import logging
import random as _random
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

import urllib3

from .._go.url import redacted
from ..retry import Done, RateLimiter, Resolution, RetryPolicy
from .requests import ConnectionFailure, JSONDict, Request, classify, decode_response

__all__ = ["ApiClientHTTP", "HTTPClient", "StreamResponse", "Transport", "http_of"]

_log = logging.getLogger(__name__)
_JSON = "application/json"
#: Longest wait for a TCP connection, whatever the request timeout.
_CONNECT_TIMEOUT = 30.0


class HTTPClient(Protocol):
    """What the transport needs of an HTTP client: the server URL, a urllib3 pool, and the URL
    and headers (auth included) of one request."""

    @property
    def host(self) -> str: ...

    @property
    def pool_manager(self) -> Any: ...

    def prepare(self, method: str, target: str, headers: Mapping[str, str]) -> tuple[str, dict[str, str]]: ...

    def close(self) -> None: ...


class ApiClientHTTP:
    """A ``kubernetes.client.ApiClient`` as an :class:`HTTPClient` (``api_client`` is kept as given)."""

    def __init__(self, api_client: Any) -> None:
        self.api_client = api_client

    @property
    def host(self) -> str:
        return str(getattr(getattr(self.api_client, "configuration", None), "host", "?"))

    @property
    def pool_manager(self) -> Any:
        return self.api_client.rest_client.pool_manager

    def prepare(self, method: str, target: str, headers: Mapping[str, str]) -> tuple[str, dict[str, str]]:
        # ApiClient.param_serialize is how the generated API methods build a request: it adds the
        # host, the default headers (User-Agent), cookies and the bearer token, refreshing a token
        # file through the configuration's hook.  Reusing it keeps auth exactly as the package does
        # it, without the generated model layer (which would drop fields it does not know).
        _, url, full_headers, _, _ = self.api_client.param_serialize(
            method, target, header_params=dict(headers), auth_settings=["BearerToken"]
        )
        return str(url), dict(full_headers)

    def close(self) -> None:
        self.api_client.close()


def http_of(client: Any) -> HTTPClient:
    """``client`` as an :class:`HTTPClient`: a ``kubernetes.client.ApiClient`` is wrapped."""
    if hasattr(client, "param_serialize") and hasattr(client, "rest_client"):
        return ApiClientHTTP(client)
    return client  # type: ignore[no-any-return]


class StreamResponse:
    """A streamed response body, read line by line (watch)."""

    def __init__(self, raw: Any, method: str, url: str) -> None:
        self._raw = raw
        self._method = method
        self._url = url

    def lines(self) -> Iterator[bytes]:
        """The non-empty lines; a dropped stream raises :class:`ConnectionFailure`."""
        buffer = b""
        try:
            for chunk in self._raw.stream(65536, decode_content=True):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        yield line
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise ConnectionFailure(self._method, self._url, exc) from exc
        if buffer.strip():
            yield buffer

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._raw.release_conn()
        with contextlib.suppress(Exception):
            self._raw.close()


class Transport:
    """HTTP for the Kubernetes datastore over ``http`` (an :class:`HTTPClient`, or a
    ``kubernetes.client.ApiClient``).

    ``request_timeout`` is the read timeout of ordinary requests in seconds (watches pass their
    own).  ``clock`` measures the retry policy's deadline and watch streams.  ``owns_client``:
    :meth:`close` closes ``http``.
    """

    def __init__(
        self,
        http: Any,
        *,
        limiter: RateLimiter,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
        request_timeout: float = 60.0,
        owns_client: bool = False,
    ) -> None:
        self.http = http_of(http)
        self.limiter = limiter
        self.policy = policy
        self.sleep = sleep
        self.random = random
        self.clock = clock
        self._timeout = request_timeout
        self._owns_client = owns_client
        self._closed = False

    @property
    def host(self) -> str:
        """The server URL, its password (if any) redacted."""
        return redacted(self.http.host)

    def close(self) -> None:
        """Release connections (closing the HTTP client when this transport owns it)."""
        if self._closed:
            return
        self._closed = True
        if self._owns_client:
            with contextlib.suppress(Exception):
                self.http.close()

    def backoff(self, retry_number: int) -> float:
        """The policy's wait before re-trying something for the ``retry_number``-th time."""
        return self.policy.backoff(retry_number, self.random())

    # -- one request ------------------------------------------------------------------------------

    def _url_and_headers(self, request: Request) -> tuple[str, dict[str, str]]:
        headers = {"Accept": _JSON}
        if request.body is not None:
            headers["Content-Type"] = _JSON
        return self.http.prepare(request.method, request.target, headers)

    def send(self, request: Request, *, stream: bool = False, read_timeout: float | None = None) -> Any:
        """One HTTP request (rate-limited, no retries): the decoded JSON object, or (``stream``) a
        :class:`StreamResponse` when the status is below 400."""
        url, headers = self._url_and_headers(request)
        data = request.encoded_body()
        where = redacted(url.split("?", 1)[0])  # it goes into error texts
        self.limiter.acquire()
        timeout = urllib3.Timeout(connect=min(self._timeout, _CONNECT_TIMEOUT), read=read_timeout or self._timeout)
        _log.debug("%s %s", request.method, request.target)
        try:
            # The pool manager directly (for an ApiClient too, rather than its request methods:
            # those read the whole body, so no streaming for watches, apply their own timeouts and
            # retries, and turn error statuses into ApiException without the Retry-After header).
            raw = self.http.pool_manager.request(
                request.method,
                url,
                body=data,
                headers=headers,
                timeout=timeout,
                retries=False,
                preload_content=False,
                redirect=False,
            )
        except urllib3.exceptions.SSLError as exc:
            raise ConnectionFailure(request.method, where, exc, retryable=False) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise ConnectionFailure(request.method, where, exc) from exc
        status = int(raw.status)
        if stream and status < 400:
            return StreamResponse(raw, request.method, where)
        try:
            payload = raw.read()
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise ConnectionFailure(request.method, where, exc) from exc
        finally:
            with contextlib.suppress(Exception):
                raw.release_conn()
        _log.debug("%s %s -> %d (%d bytes)", request.method, request.target, status, len(payload))
        try:
            return decode_response(status, payload, raw.headers.get("Retry-After"))
        except ValueError as exc:
            raise ConnectionFailure(request.method, where, exc) from None

    # -- under the retry policy -------------------------------------------------------------------

    def call(
        self,
        request: Request,
        *,
        reconcile: Callable[[BaseException], Done[Any] | Resolution] | None = None,
        send: Callable[[], Any] | None = None,
        stream: bool = False,
        read_timeout: float | None = None,
    ) -> Any:
        """:meth:`send` under the retry policy; raises ``ApiError``/``ConnectionFailure`` when it gives up.

        ``send`` replaces the plain :meth:`send` of ``request`` (a write that watches its own
        attempts); ``reconcile`` decides, after an ambiguous failure of a write, whether it
        happened (:func:`calicopy.retry.call_with_retry`).
        """

        def attempt() -> Any:
            if send is not None:
                return send()
            return self.send(request, stream=stream, read_timeout=read_timeout)

        return self.policy.call(
            attempt,
            verb=request.verb,
            classify=classify,
            preconditions=request.preconditions,
            reconcile=reconcile,
            sleep=self.sleep,
            random=self.random,
            clock=self.clock,
        )

    def json(self, request: Request) -> JSONDict:
        """:meth:`call` for a request answered with a JSON object."""
        result: JSONDict = self.call(request)
        return result
