import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from '../src/rate-limit.js';

// The in-memory token bucket, on a clock the test moves.

function bucket(capacity: number, perSecond: number, maxKeys?: number) {
  const clock = { now: 0 };
  const store = createMemoryRateLimitStore({
    capacity,
    refillPerSecond: perSecond,
    now: () => clock.now,
    maxKeys,
  });
  return { store, clock };
}

describe('the in-memory token bucket', () => {
  it('grants a full bucket at once, then the refill rate', async () => {
    const { store, clock } = bucket(200, 1);
    expect(await store.take('a', 150)).toEqual({ allowed: true, remaining: 50 });
    const refused = await store.take('a', 104);
    expect(refused).toEqual({ allowed: false, remaining: 50, retryAfterMs: 54_000 });
    clock.now += 53_999;
    expect((await store.take('a', 104)).allowed).toBe(false);
    clock.now += 1;
    expect(await store.take('a', 104)).toEqual({ allowed: true, remaining: 0 });
    // Another key has a bucket of its own.
    expect((await store.take('b', 200)).allowed).toBe(true);
  });

  it('settles the difference: refunds up to the capacity, charges below zero', async () => {
    const { store, clock } = bucket(100, 10);
    await store.take('a', 100);
    await store.adjust('a', 500);
    expect(await store.take('a', 100)).toEqual({ allowed: true, remaining: 0 });
    await store.adjust('a', -30);
    const refused = await store.take('a', 1);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 3100 });
    clock.now += 3100;
    expect((await store.take('a', 1)).allowed).toBe(true);
  });

  it('forgets the least recently used buckets past its size, as full ones', async () => {
    const { store } = bucket(10, 1, 2);
    await store.take('a', 10);
    await store.take('b', 10);
    await store.take('c', 10);
    expect((await store.take('b', 1)).allowed).toBe(false);
    expect((await store.take('a', 10)).allowed).toBe(true);
  });

  it('never grants more than the capacity plus what the rate refilled', async () => {
    const step = fc.record({
      waitMs: fc.integer({ min: 0, max: 5000 }),
      tokens: fc.integer({ min: 1, max: 250 }),
      settle: fc.integer({ min: -50, max: 50 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 1000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(step, { maxLength: 60 }),
        async (capacity, perSecond, steps) => {
          const { store, clock } = bucket(capacity, perSecond);
          let granted = 0;
          for (const { waitMs, tokens, settle } of steps) {
            clock.now += waitMs;
            const decision = await store.take('k', tokens);
            if (decision.allowed) {
              // A settle gives back at most what was taken, or charges more (calls made past
              // the estimate), which only leaves less for later.
              const settled = Math.min(settle, tokens);
              granted += tokens - Math.max(0, settled);
              await store.adjust('k', settled);
            } else {
              expect(decision.retryAfterMs).toBeGreaterThan(0);
            }
            expect(granted).toBeLessThanOrEqual(capacity + (clock.now / 1000) * perSecond + 1e-6);
          }
        },
      ),
      { numRuns: 200, seed: 4242 },
    );
  });

  it('tells a refused client exactly how long to wait', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 500 }),
        async (capacity, perSecond, first) => {
          const { store, clock } = bucket(capacity, perSecond);
          await store.take('k', Math.min(first, capacity));
          const decision = await store.take('k', capacity);
          if (decision.allowed) return;
          clock.now += decision.retryAfterMs;
          expect((await store.take('k', capacity)).allowed).toBe(true);
        },
      ),
      { numRuns: 200, seed: 77 },
    );
  });
});
