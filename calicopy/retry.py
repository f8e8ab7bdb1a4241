"""Retries and client-side rate limiting for datastore requests, independent of any HTTP library.

* :class:`RetryPolicy` (data) + :func:`call_with_retry` (tenacity, imported for the first retry): exponential
  backoff with full jitter and a cap, a maximum attempt count, ``Retry-After`` honoured, and
  retries that never repeat a write that may already have happened.
* :class:`RateLimiter`: a thread-safe token bucket (client-go's QPS/burst).
* :func:`retry_on_conflict`: client-go's ``retry.RetryOnConflict`` for read-modify-write loops.

The caller tells calicopy what a failure was through a *classifier*: a callable that maps an
exception to :class:`Failure` (an HTTP status, or ``None`` for a connection error, and the
``Retry-After`` seconds if any) or returns ``None`` for an exception that is not a transport or
API failure (it is re-raised at once).
"""

from __future__ import annotations

import enum
import logging
import math
import random as _random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from .errors import ConfigError, ResourceConflict

__all__ = [
    "IDEMPOTENT_VERBS",
    "Classifier",
    "Done",
    "Failure",
    "RateLimiter",
    "Resolution",
    "RetryPolicy",
    "call_with_retry",
    "is_retryable",
    "retry_on_conflict",
]

T = TypeVar("T")
_log = logging.getLogger("calicopy.retry")

#: Verbs that can be repeated safely after a 5xx or a broken connection.
IDEMPOTENT_VERBS = frozenset({"GET", "LIST", "WATCH", "HEAD"})


class Failure(NamedTuple):
    """What went wrong: ``status`` is the HTTP status, or ``None`` when no response arrived."""

    status: int | None
    retry_after: float | None = None


Classifier = Callable[[BaseException], Failure | None]


class Resolution(enum.Enum):
    """What a ``reconcile`` hook decided after reading the datastore."""

    RETRY = "retry"  # the write did not happen: send it again
    GIVE_UP = "give_up"  # re-raise the original error


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """A ``reconcile`` hook found that the write did happen; ``value`` becomes the call's result."""

    value: T


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry.

    ``max_attempts`` counts the first attempt.  The n-th retry waits a uniformly random time in
    ``[0, min(max_delay, base_delay * 2**(n-1))]`` (full jitter); a ``Retry-After`` longer than
    that is honoured, up to ``max_retry_after``.

    ``deadline`` is the budget of one call in seconds, attempts and waits included (``None``: only
    ``max_attempts`` bounds it): a retry whose wait would end past it is not made, and the last
    error is raised at once, so a server's ``Retry-After: 3600`` fails the call instead of
    blocking it.
    """

    max_attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 10.0
    max_retry_after: float = 60.0
    deadline: float | None = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("delays must not be negative")
        if self.deadline is not None and not self.deadline > 0:
            raise ValueError("deadline must be positive (or None)")

    def backoff(self, retry_number: int, rand: float, retry_after: float | None = None) -> float:
        """The wait before retry ``retry_number`` (1-based) given a uniform ``rand`` in [0, 1)."""
        ceiling = min(self.max_delay, self.base_delay * math.pow(2.0, retry_number - 1))
        delay = rand * ceiling
        if retry_after is not None and retry_after > delay:
            delay = min(retry_after, max(self.max_retry_after, delay))
        return delay

    def call(
        self,
        fn: Callable[[], T],
        *,
        verb: str,
        classify: Classifier,
        preconditions: bool = False,
        reconcile: Callable[[BaseException], Done[T] | Resolution] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> T:
        """:func:`call_with_retry` with this policy."""
        return call_with_retry(
            fn,
            policy=self,
            verb=verb,
            classify=classify,
            preconditions=preconditions,
            reconcile=reconcile,
            sleep=sleep,
            random=random,
            clock=clock,
        )


def is_retryable(failure: Failure, verb: str, *, preconditions: bool = False) -> bool:
    """Whether a failure may be retried blindly.

    * 429 Too Many Requests: always (the API server rejected the request before acting on it).
    * 5xx and connection errors: only for reads (``GET``, ``LIST``, ``WATCH``, ``HEAD``) and for
      ``DELETE`` with preconditions (uid/resourceVersion), whose repetition cannot remove a
      different object; a create, update, patch or unconditional delete may have happened.
    """
    if failure.status == 429:
        return True
    if failure.status is None or failure.status >= 500:
        upper = verb.upper()
        return upper in IDEMPOTENT_VERBS or (upper == "DELETE" and preconditions)
    return False


class _Retry(Exception):
    def __init__(self, original: BaseException, failure: Failure) -> None:
        super().__init__(str(original))
        self.original = original
        self.failure = failure


def call_with_retry(
    fn: Callable[[], T],
    *,
    policy: RetryPolicy,
    verb: str,
    classify: Classifier,
    preconditions: bool = False,
    reconcile: Callable[[BaseException], Done[T] | Resolution] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    random: Callable[[], float] = _random.random,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call ``fn`` and retry it according to ``policy``; the last error is re-raised unchanged.

    No retry is made whose wait would end after ``policy.deadline`` seconds (by ``clock``) from the
    start of the call.

    A 5xx or connection error on a request that is not safe to repeat (see :func:`is_retryable`) is
    passed to ``reconcile`` when given: the hook reads the datastore and returns
    :class:`Done` (the write happened; its value is returned), ``Resolution.RETRY`` (it did not;
    send it again, within ``max_attempts``) or ``Resolution.GIVE_UP``.  Without a hook the error is
    raised at once.
    """

    def attempt() -> T:
        try:
            return fn()
        except Exception as exc:
            failure = classify(exc)
            if failure is None:
                raise
            if is_retryable(failure, verb, preconditions=preconditions):
                raise _Retry(exc, failure) from exc
            ambiguous = failure.status is None or failure.status >= 500
            if not ambiguous or reconcile is None:
                raise
            decision = reconcile(exc)
            if isinstance(decision, Done):
                return decision.value
            if decision is Resolution.RETRY:
                raise _Retry(exc, failure._replace(retry_after=None)) from exc
            raise

    start = clock()
    try:
        # Most calls succeed at once: tenacity (whose import pulls in asyncio, and tornado where
        # installed: a tenth of a ``calicopy`` command's start-up) is imported only for a retry.
        return attempt()
    except _Retry as first:
        return _retry_after(first, attempt, policy, verb, sleep, random, lambda: clock() - start)


def _retry_after(
    first: _Retry,
    attempt: Callable[[], T],
    policy: RetryPolicy,
    verb: str,
    sleep: Callable[[float], None],
    random: Callable[[], float],
    elapsed: Callable[[], float],
) -> T:
    """The retries after a first attempt failed with ``first``: tenacity's loop, with that failure
    replayed as its first attempt (same attempt numbers, waits, random draws and clock reads as
    when tenacity ran the first attempt too)."""
    import tenacity

    replay: list[_Retry] = [first]

    def next_attempt() -> T:
        if replay:
            raise replay.pop()
        return attempt()

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        retry_after = exc.failure.retry_after if isinstance(exc, _Retry) else None
        return policy.backoff(state.attempt_number, random(), retry_after)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        status = exc.failure.status if isinstance(exc, _Retry) else None
        delay = state.next_action.sleep if state.next_action is not None else 0.0
        _log.debug(
            "%s failed (status %s), retry %d/%d in %.3fs",
            verb.upper(),
            "connection error" if status is None else status,
            state.attempt_number,
            policy.max_attempts - 1,
            delay,
        )

    attempts_used = tenacity.stop_after_attempt(policy.max_attempts)

    def out_of_time(state: tenacity.RetryCallState) -> bool:
        # tenacity computes the wait (upcoming_sleep) before it asks whether to stop, so the
        # deadline judges the retry's start, not the failed attempt's end.
        if policy.deadline is None or elapsed() + state.upcoming_sleep <= policy.deadline:
            return False
        _log.debug(
            "%s: a retry in %.3fs would pass the %.3gs deadline; giving up",
            verb.upper(),
            state.upcoming_sleep,
            policy.deadline,
        )
        return True

    retrying = tenacity.Retrying(
        stop=lambda state: attempts_used(state) or out_of_time(state),
        wait=wait,
        retry=tenacity.retry_if_exception_type(_Retry),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(next_attempt)
    except _Retry as exc:
        raise exc.original from None


class RateLimiter:
    """A thread-safe token bucket: ``burst`` requests at once, then ``qps`` per second.

    :meth:`acquire` reserves a token under a lock and sleeps (outside the lock) until it is due, so
    concurrent callers are spaced ``1/qps`` apart as with client-go's limiter.  The constructor
    wants a positive QPS and burst; :meth:`for_client` takes any configured values, as client-go
    does.
    """

    @classmethod
    def for_client(
        cls,
        qps: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> RateLimiter:
        """client-go's ``rest.RESTClientFor``: a token bucket only when ``qps`` is positive.

        A QPS that is negative, zero or NaN means no client-side rate limiting (client-go builds
        no limiter), and so does an infinite one (``x/time/rate``'s ``Inf`` allows everything).
        With a positive QPS, a burst under 1 is a :class:`~calicopy.errors.ConfigError`: client-go's
        bucket would then never hold a token and every request would wait for ever.
        """
        if not qps > 0 or math.isinf(qps):
            _log.debug("client-side rate limiting is off (qps %r)", qps)
            limiter = cls(1.0, 1, clock=clock, sleep=sleep)
            limiter.qps = math.inf
            limiter._unlimited = True
            return limiter
        if burst < 1:
            raise ConfigError(
                f"the client-side rate limit has qps {qps:g} but burst {burst}: a positive QPS needs a burst of "
                "at least 1 (k8sClientBurst/K8S_CLIENT_BURST; 0 means the default)",
                field="k8sClientBurst",
            )
        return cls(qps, burst, clock=clock, sleep=sleep)

    def __init__(
        self,
        qps: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not qps > 0 or math.isinf(qps):
            raise ValueError("qps must be a positive finite number")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.qps = float(qps)
        self.burst = int(burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._last = clock()
        self._unlimited = False

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._last)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.qps)
        self._last = max(self._last, now)

    def reserve(self) -> float:
        """Take a token now and return how many seconds the caller must wait before using it."""
        if self._unlimited:
            return 0.0
        with self._lock:
            self._refill(self._clock())
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.qps

    def acquire(self) -> float:
        """Block until a request may be sent; returns the time waited."""
        delay = self.reserve()
        if delay > 0:
            self._sleep(delay)
        return delay

    def try_acquire(self) -> bool:
        """Take a token if one is available now, without waiting."""
        if self._unlimited:
            return True
        with self._lock:
            self._refill(self._clock())
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False


def _is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, ResourceConflict)


def retry_on_conflict(
    fn: Callable[[], T],
    attempts: int = 5,
    *,
    is_conflict: Callable[[BaseException], bool] = _is_conflict,
    delay: float = 0.01,
    factor: float = 1.0,
    jitter: float = 0.1,
    max_delay: float = math.inf,
    sleep: Callable[[float], None] = time.sleep,
    random: Callable[[], float] = _random.random,
) -> T:
    """Run a read-modify-write ``fn`` again while it fails with a conflict (client-go's ``RetryOnConflict``).

    The defaults are client-go's ``retry.DefaultRetry``: 5 attempts, 10 ms apart plus up to 10 %
    jitter.  With ``factor`` > 1 the wait grows geometrically up to ``max_delay``.  ``fn`` must
    re-read the object on every call.  The last conflict is re-raised.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    wait = delay
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if not is_conflict(exc) or attempt == attempts:
                raise
            pause = wait + random() * jitter * wait if jitter > 0 else wait
            _log.debug("conflict, attempt %d/%d; retrying in %.4fs", attempt, attempts, pause)
            sleep(pause)
            wait = min(wait * factor, max_delay)
    raise AssertionError("unreachable")  # pragma: no cover
