"""Retry policy, token-bucket rate limiter and retry_on_conflict, with injected clocks (no real waiting)."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calicopy.errors import ResourceConflict
from calicopy.retry import (
    Done,
    Failure,
    RateLimiter,
    Resolution,
    RetryPolicy,
    call_with_retry,
    is_retryable,
    retry_on_conflict,
)


class ApiError(Exception):
    def __init__(self, status: int | None, retry_after: float | None = None) -> None:
        super().__init__(f"status {status}")
        self.status = status
        self.retry_after = retry_after


def classify(exc: BaseException) -> Failure | None:
    if isinstance(exc, ApiError):
        return Failure(exc.status, exc.retry_after)
    return None


class Script:
    """Raises the scripted errors in turn, then returns 'ok'."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def run(fn: Script, verb: str = "GET", policy: RetryPolicy | None = None, **kw: object) -> tuple[object, list[float]]:
    sleeps: list[float] = []
    result = call_with_retry(
        fn,
        policy=policy or RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=8.0),
        verb=verb,
        classify=classify,
        sleep=sleeps.append,
        random=lambda: 1.0,
        **kw,  # type: ignore[arg-type]
    )
    return result, sleeps


def test_get_retries_5xx_with_exponential_backoff() -> None:
    fn = Script(ApiError(503), ApiError(500), ApiError(None))
    result, sleeps = run(fn)
    assert result == "ok"
    assert fn.calls == 4
    assert sleeps == [1.0, 2.0, 4.0]


def test_full_jitter_uses_random_fraction() -> None:
    fn = Script(ApiError(503), ApiError(503))
    sleeps: list[float] = []
    call_with_retry(
        fn,
        policy=RetryPolicy(base_delay=1.0, max_delay=8.0),
        verb="LIST",
        classify=classify,
        sleep=sleeps.append,
        random=iter([0.5, 0.25]).__next__,
    )
    assert sleeps == [0.5, 0.5]


def test_cap_and_max_attempts() -> None:
    fn = Script(*[ApiError(503) for _ in range(10)])
    with pytest.raises(ApiError) as info:
        run(fn, policy=RetryPolicy(max_attempts=6, base_delay=1.0, max_delay=3.0))
    assert info.value.status == 503
    assert fn.calls == 6
    _, sleeps = None, None
    fn2 = Script(*[ApiError(503) for _ in range(5)])
    result, sleeps = run(fn2, policy=RetryPolicy(max_attempts=6, base_delay=1.0, max_delay=3.0))
    assert result == "ok"
    assert sleeps == [1.0, 2.0, 3.0, 3.0, 3.0]


def test_retry_after_honoured_when_longer() -> None:
    fn = Script(ApiError(429, retry_after=7.0), ApiError(429, retry_after=0.5))
    result, sleeps = run(fn, verb="POST")
    assert result == "ok"
    assert sleeps == [7.0, 2.0]  # 7 > backoff 1; backoff 2 > 0.5


def test_retry_after_capped() -> None:
    fn = Script(ApiError(429, retry_after=3600))
    _, sleeps = run(fn, policy=RetryPolicy(base_delay=1.0, max_retry_after=30.0, deadline=None))
    assert sleeps == [30.0]  # (with the default 30 s deadline the call fails at once instead)


def test_non_idempotent_not_retried_on_5xx_or_connection_error() -> None:
    for verb in ("POST", "PUT", "PATCH", "DELETE"):
        for status in (500, 503, None):
            fn = Script(ApiError(status))
            with pytest.raises(ApiError):
                run(fn, verb=verb)
            assert fn.calls == 1


def test_delete_with_preconditions_is_retried() -> None:
    fn = Script(ApiError(None))
    result, _ = run(fn, verb="DELETE", preconditions=True)
    assert result == "ok" and fn.calls == 2


def test_4xx_and_unclassified_errors_not_retried() -> None:
    for error in (ApiError(404), ApiError(409), ValueError("boom")):
        fn = Script(error)
        with pytest.raises(type(error)):
            run(fn)
        assert fn.calls == 1


def test_reconcile_hook_done_and_retry_and_give_up() -> None:
    seen: list[BaseException] = []

    def done(exc: BaseException) -> Done[str] | Resolution:
        seen.append(exc)
        return Done("created-by-first-attempt")

    fn = Script(ApiError(504))
    result, sleeps = run(fn, verb="POST", reconcile=done)
    assert result == "created-by-first-attempt" and fn.calls == 1 and sleeps == []
    assert isinstance(seen[0], ApiError)

    fn = Script(ApiError(504))
    result, sleeps = run(fn, verb="POST", reconcile=lambda exc: Resolution.RETRY)
    assert result == "ok" and fn.calls == 2 and sleeps == [1.0]

    fn = Script(ApiError(504))
    with pytest.raises(ApiError):
        run(fn, verb="POST", reconcile=lambda exc: Resolution.GIVE_UP)
    assert fn.calls == 1


def test_reconcile_retry_still_bounded() -> None:
    fn = Script(*[ApiError(None) for _ in range(10)])
    with pytest.raises(ApiError):
        run(fn, verb="PUT", policy=RetryPolicy(max_attempts=3, base_delay=1.0), reconcile=lambda e: Resolution.RETRY)
    assert fn.calls == 3


def test_policy_call_and_validation() -> None:
    sleeps: list[float] = []
    fn = Script(ApiError(502))
    policy = RetryPolicy(base_delay=0.5)
    assert policy.call(fn, verb="get", classify=classify, sleep=sleeps.append, random=lambda: 1.0) == "ok"
    assert sleeps == [0.5]
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    assert is_retryable(Failure(429), "POST")
    assert not is_retryable(Failure(500), "POST")
    assert is_retryable(Failure(None), "watch")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_burst_then_steady_qps() -> None:
    clock = FakeClock()
    limiter = RateLimiter(qps=2, burst=3, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(6)]
    assert waits == [0.0, 0.0, 0.0, 0.5, 0.5, 0.5]
    assert clock.now == pytest.approx(101.5)
    clock.now += 10  # idle: the bucket refills to burst, not beyond
    assert [limiter.acquire() for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]


def test_rate_limiter_try_acquire() -> None:
    clock = FakeClock()
    limiter = RateLimiter(qps=1, burst=1, clock=clock, sleep=clock.sleep)
    assert limiter.try_acquire() is True
    assert limiter.try_acquire() is False
    clock.now += 1.0
    assert limiter.try_acquire() is True
    with pytest.raises(ValueError):
        RateLimiter(qps=0, burst=1)
    with pytest.raises(ValueError):
        RateLimiter(qps=1, burst=0)


def test_rate_limiter_thread_safety() -> None:
    clock_value = 5.0
    recorded: list[float] = []
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            recorded.append(seconds)

    limiter = RateLimiter(qps=10, burst=5, clock=lambda: clock_value, sleep=sleep)
    waits: list[float] = []

    def worker() -> None:
        for _ in range(25):
            w = limiter.acquire()
            with lock:
                waits.append(w)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(waits) == 200
    expected = [0.0] * 5 + [k / 10 for k in range(1, 196)]
    assert sorted(waits) == pytest.approx(expected)
    assert sorted(recorded) == pytest.approx(expected[5:])


def test_retry_on_conflict() -> None:
    sleeps: list[float] = []
    fn = Script(ResourceConflict("update conflict"), ResourceConflict("update conflict"))
    assert retry_on_conflict(fn, sleep=sleeps.append, random=lambda: 1.0) == "ok"
    assert fn.calls == 3
    assert sleeps == pytest.approx([0.011, 0.011])

    fn = Script(*[ResourceConflict("c") for _ in range(9)])
    with pytest.raises(ResourceConflict):
        retry_on_conflict(fn, attempts=4, sleep=sleeps.append, random=lambda: 0.0)
    assert fn.calls == 4

    fn = Script(KeyError("other"))
    with pytest.raises(KeyError):
        retry_on_conflict(fn, sleep=sleeps.append)
    assert fn.calls == 1

    sleeps.clear()
    fn = Script(ApiError(409), ApiError(409))
    result = retry_on_conflict(
        fn,
        is_conflict=lambda e: isinstance(e, ApiError) and e.status == 409,
        factor=2.0,
        jitter=0.0,
        sleep=sleeps.append,
    )
    assert result == "ok" and sleeps == pytest.approx([0.01, 0.02])


# -- the deadline: a total-time budget per call ------------------------------------------------------


class Forever:
    """Fails with ``error`` on every call; each call takes ``seconds`` on ``clock``."""

    def __init__(self, error: BaseException, clock: FakeClock, seconds: float = 0.0) -> None:
        self.error, self.clock, self.seconds = error, clock, seconds
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        self.clock.now += self.seconds
        raise self.error


def run_clocked(fn: Forever, policy: RetryPolicy, verb: str = "GET") -> None:
    call_with_retry(
        fn, policy=policy, verb=verb, classify=classify, sleep=fn.clock.sleep, random=lambda: 1.0, clock=fn.clock
    )


def test_deadline_stops_before_a_wait_that_would_pass_it() -> None:
    clock = FakeClock()
    fn = Forever(ApiError(503), clock)
    with pytest.raises(ApiError):
        run_clocked(fn, RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=8.0, deadline=5.0))
    assert clock.sleeps == [1.0, 2.0]  # a third wait (4 s) would end at 7 s > 5 s
    assert fn.calls == 3


def test_deadline_counts_the_time_of_the_attempts() -> None:
    clock = FakeClock()
    fn = Forever(ApiError(None), clock, seconds=20.0)
    with pytest.raises(ApiError):
        run_clocked(fn, RetryPolicy(max_attempts=10, base_delay=1.0, deadline=30.0))
    assert fn.calls == 2 and clock.sleeps == [1.0]  # 20 + 1 + 20 s, then another wait would pass 30 s


def test_retry_after_beyond_the_deadline_fails_at_once() -> None:
    # Retry-After: 3600 used to block one call for 4 x max_retry_after.
    clock = FakeClock()
    fn = Forever(ApiError(429, retry_after=3600), clock)
    with pytest.raises(ApiError) as info:
        run_clocked(fn, RetryPolicy(), verb="POST")
    assert info.value is fn.error and fn.calls == 1 and clock.sleeps == []
    fits = Forever(ApiError(429, retry_after=4.0), FakeClock())
    with pytest.raises(ApiError):
        run_clocked(fits, RetryPolicy(max_attempts=3, deadline=10.0), verb="POST")
    assert fits.clock.sleeps == [4.0, 4.0]


def test_deadline_default_and_none() -> None:
    assert RetryPolicy().deadline == 30.0
    clock = FakeClock()
    fn = Forever(ApiError(503), clock)
    with pytest.raises(ApiError):
        run_clocked(fn, RetryPolicy(max_attempts=4, base_delay=100.0, max_delay=100.0, deadline=None))
    assert clock.sleeps == [100.0, 100.0, 100.0]  # only max_attempts bounds it
    with pytest.raises(ValueError, match="deadline"):
        RetryPolicy(deadline=0)


# -- parity with a tenacity loop that runs the first attempt too -------------------------------------


def _tenacity_reference(
    fn: Script, policy: RetryPolicy, verb: str, sleep: object, random: object, clock: object
) -> object:
    """call_with_retry with tenacity.Retrying running every attempt (no reconcile hook)."""
    import tenacity

    from calicopy.retry import _Retry

    def attempt() -> object:
        try:
            return fn()
        except Exception as exc:
            failure = classify(exc)
            if failure is None or not is_retryable(failure, verb):
                raise
            raise _Retry(exc, failure) from exc

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        retry_after = exc.failure.retry_after if isinstance(exc, _Retry) else None
        return policy.backoff(state.attempt_number, random(), retry_after)  # type: ignore[operator]

    start = clock()  # type: ignore[operator]
    attempts_used = tenacity.stop_after_attempt(policy.max_attempts)

    def out_of_time(state: tenacity.RetryCallState) -> bool:
        return policy.deadline is not None and clock() - start + state.upcoming_sleep > policy.deadline  # type: ignore[operator]

    retrying = tenacity.Retrying(
        stop=lambda state: attempts_used(state) or out_of_time(state),
        wait=wait,
        retry=tenacity.retry_if_exception_type(_Retry),
        sleep=sleep,  # type: ignore[arg-type]
        reraise=True,
    )
    try:
        return retrying(attempt)
    except _Retry as exc:
        raise exc.original from None


outcomes = st.lists(
    st.sampled_from([None, 503, 500, 429, 404])
    | st.tuples(st.sampled_from([503, 429]), st.floats(min_value=0, max_value=100, allow_nan=False)),
    max_size=7,
)


@settings(max_examples=200, deadline=None)
@given(
    outcomes,
    st.integers(min_value=1, max_value=6),
    st.none() | st.floats(min_value=0.5, max_value=60),
    st.sampled_from(["GET", "POST", "DELETE"]),
)
def test_same_attempts_waits_and_errors_as_the_tenacity_loop(
    script: list[object], max_attempts: int, deadline: float | None, verb: str
) -> None:
    # tenacity takes over after a first failed attempt (replayed to it): for any sequence of
    # failures, the same attempts, waits (and random draws, and clock reads), and result or error
    # as tenacity.Retrying running every attempt.
    policy = RetryPolicy(max_attempts=max_attempts, base_delay=0.5, max_delay=4.0, deadline=deadline)

    def errors() -> list[BaseException]:
        out: list[BaseException] = []
        for item in script:
            if isinstance(item, tuple):
                out.append(ApiError(item[0], item[1]))
            else:
                out.append(ApiError(item))
        return out

    def observed(call: object) -> tuple[object, ...]:
        fn = Script(*errors())
        sleeps: list[float] = []
        draws = iter([0.3, 0.9, 0.5, 0.1, 0.7, 1.0, 0.2] * 3)
        now = [0.0]
        clock_reads = [0]

        def clock() -> float:
            clock_reads[0] += 1
            now[0] += 1.5
            return now[0]

        def sleep(seconds: float) -> None:
            sleeps.append(float(seconds))
            now[0] += seconds

        try:
            result: object = call(fn, policy, verb, sleep, lambda: next(draws), clock)  # type: ignore[operator]
        except ApiError as exc:
            result = ("raised", exc.status, exc.retry_after)
        return result, fn.calls, sleeps, clock_reads[0]

    def ours(fn: Script, policy: RetryPolicy, verb: str, sleep: object, random: object, clock: object) -> object:
        return call_with_retry(
            fn,
            policy=policy,
            verb=verb,
            classify=classify,
            sleep=sleep,
            random=random,
            clock=clock,  # type: ignore[arg-type]
        )

    assert observed(ours) == observed(_tenacity_reference)
