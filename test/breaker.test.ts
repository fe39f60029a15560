import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/errors.js';
import { CircuitBreaker } from '../src/upstreams/breaker.js';

const unavailable = () => Promise.reject(new UpstreamError('UPSTREAM_UNAVAILABLE', 'IOT'));

describe('circuit breaker states', () => {
  function opened() {
    let now = 0;
    const states: string[] = [];
    const breaker = new CircuitBreaker(
      { source: 'IOT' },
      { errorThreshold: 0.5, minimumCalls: 2, windowSize: 2, resetTimeoutMs: 100 },
      () => now,
      (state) => states.push(state),
    );
    return { breaker, states, advance: (ms: number) => (now += ms) };
  }

  it('reports half-open when it lets a probe through', async () => {
    const { breaker, states, advance } = opened();
    await expect(breaker.run(unavailable)).rejects.toThrow();
    await expect(breaker.run(unavailable)).rejects.toThrow();
    expect(breaker.state).toBe('open');
    advance(100);
    await breaker.run(() => Promise.resolve('ok'));
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('does not close on a probe whose caller went away', async () => {
    const { breaker, advance } = opened();
    await expect(breaker.run(unavailable)).rejects.toThrow();
    await expect(breaker.run(unavailable)).rejects.toThrow();
    advance(100);
    const gone = AbortSignal.abort();
    await expect(breaker.run(unavailable, gone)).rejects.toThrow();
    expect(breaker.state).not.toBe('closed');
    // The next call is a probe again, and its outcome decides.
    await breaker.run(() => Promise.resolve('ok'));
    expect(breaker.state).toBe('closed');
  });

  it('fails fast while open, without calling', async () => {
    const { breaker } = opened();
    await expect(breaker.run(unavailable)).rejects.toThrow();
    await expect(breaker.run(unavailable)).rejects.toThrow();
    let called = false;
    await expect(
      breaker.run(() => {
        called = true;
        return Promise.resolve();
      }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'CircuitOpen' });
    expect(called).toBe(false);
  });
});

describe('what opens a circuit', () => {
  const breaker = (now = () => 0) =>
    new CircuitBreaker(
      { source: 'IOT', region: 'eu-west-1' },
      { errorThreshold: 0.5, minimumCalls: 10, windowSize: 10, resetTimeoutMs: 1000 },
      now,
    );
  const ok = () => Promise.resolve('ok');

  it('never a success, even one that completes a window of mostly failures', async () => {
    const b = breaker();
    for (let i = 0; i < 5; i++) await expect(b.run(unavailable)).rejects.toThrow();
    for (let i = 0; i < 4; i++) await b.run(ok);
    // Ten calls, five failed: the threshold is reached by a success, which must not open.
    await b.run(ok);
    expect(b.state).toBe('closed');
    // The next failure does.
    await expect(b.run(unavailable)).rejects.toThrow();
    expect(b.state).toBe('open');
  });

  it('counts a call cut by its request deadline as a failure, not one whose client left', async () => {
    const hung = (signal: AbortSignal) =>
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () =>
          reject(new UpstreamError('UPSTREAM_TIMEOUT', 'IOT')),
        ),
      );
    const deadline = breaker();
    for (let i = 0; i < 10; i++) {
      const controller = new AbortController();
      const call = deadline.run(() => hung(controller.signal), controller.signal);
      controller.abort(new DOMException('request deadline', 'TimeoutError'));
      await expect(call).rejects.toThrow();
    }
    expect(deadline.state).toBe('open');
    expect(deadline.health()).toMatchObject({ calls: 10, successRatio: 0 });

    const left = breaker();
    for (let i = 0; i < 10; i++) {
      const controller = new AbortController();
      const call = left.run(() => hung(controller.signal), controller.signal);
      controller.abort(new DOMException('the client went away', 'AbortError'));
      await expect(call).rejects.toThrow();
    }
    expect(left.state).toBe('closed');
    expect(left.health()).toMatchObject({ calls: 0, successRatio: 1 });
  });

  it('reports health over the last thirty seconds only', async () => {
    let now = 1_000_000;
    const b = breaker(() => now);
    await expect(b.run(unavailable)).rejects.toThrow();
    await b.run(ok);
    expect(b.health()).toEqual({ breaker: 'closed', calls: 2, successRatio: 0.5 });
    now += 31_000;
    expect(b.health()).toEqual({ breaker: 'closed', calls: 0, successRatio: 1 });
  });
});

describe('upstream error fields', () => {
  it('keeps an upstream code or request id only when it looks like one', () => {
    const clean = new UpstreamError('UPSTREAM_AUTH', 'IMPORT_EXPORT', {
      upstreamCode: 'InvalidClientTokenId',
      requestId: 'a1f5a4c6-0adb-11df-a381-155bec6f7c93',
    });
    expect(clean.upstreamCode).toBe('InvalidClientTokenId');
    expect(clean.requestId).toBe('a1f5a4c6-0adb-11df-a381-155bec6f7c93');
    const hostile = new UpstreamError('UPSTREAM_AUTH', 'IMPORT_EXPORT', {
      upstreamCode: 'The secret key wJalr... is wrong',
      requestId: '<script>alert(1)</script>',
    });
    expect(hostile.upstreamCode).toBeUndefined();
    expect(hostile.requestId).toBeUndefined();
    expect(hostile.message).not.toMatch(/secret/);
  });
});
