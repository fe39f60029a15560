import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CursorState,
  createCursorCodec,
  digestArgs,
  InvalidCursorError,
  MAX_CURSOR_LENGTH,
} from '../src/pagination/cursor.js';
import { idDigest, type OpenPosition, type Position } from '../src/pagination/position.js';
import type { JobRecord } from '../src/sources/types.js';

const codec = createCursorCodec('a-secret-of-thirty-two-characters!');
const other = createCursorCodec('another-secret-entirely-different');
const digest = digestArgs({ sources: ['IOT', 'IMPORT_EXPORT'], iot: { status: 'COMPLETED' } });

const text = (maxLength: number) => fc.string({ minLength: 1, maxLength });
const anchor = fc.record({
  id: text(64),
  at: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
});

/** Every shape of position the pagination code writes. */
const open: fc.Arbitrary<OpenPosition> = fc.oneof(
  fc.record({ token: fc.constant(null) }),
  fc.record({ token: fc.constant(null), horizon: fc.integer({ min: 0, max: 2 ** 42 }) }),
  fc.record(
    { token: fc.option(text(300), { nil: null }), anchor, unordered: fc.constant(true) },
    { requiredKeys: ['token', 'anchor'] },
  ),
  fc.record({ token: text(300), anchor, floor: fc.constant(true) }),
  fc.record({
    token: fc.option(text(300), { nil: null }),
    anchor,
    page: fc.integer({ min: 1, max: 250 }).chain((size) =>
      fc.record({
        size: fc.constant(size),
        skip: fc.nat({ max: size }),
        successorDigests: fc.subarray([idDigest('a'), idDigest('b'), idDigest('c')], {
          minLength: 1,
        }),
      }),
    ),
  }),
);
const position: fc.Arbitrary<Position> = fc.oneof(
  fc.constant('done' as const),
  fc.constant('expired' as const),
  open,
);
const sourceKey = fc.oneof(
  fc.constant('IMPORT_EXPORT'),
  fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2').map((r) => `IOT:${r}`),
);
const states: fc.Arbitrary<CursorState> = fc
  .uniqueArray(
    fc.tuple(
      sourceKey,
      position,
      fc.nat({ max: 100 }),
      fc.option(fc.integer({ min: 0, max: 2 ** 42 }), { nil: undefined }),
    ),
    { selector: ([key]) => key, maxLength: 3 },
  )
  .map((entries) => ({
    sources: new Map(
      entries.map(([key, position, taken, head]) => [
        key,
        // What a source gave the page, and its next job, are only written for an open position.
        typeof position === 'object'
          ? { position, ...(taken > 0 ? { taken } : {}), ...(head === undefined ? {} : { head }) }
          : { position },
      ]),
    ),
  }));

const simple: CursorState = {
  sources: new Map([
    ['IOT:us-east-1', { position: { token: 'abc', anchor: { id: 'j1', at: 5 } } }],
  ]),
};

describe('cursor codec', () => {
  it('round-trips every position it writes', () => {
    fc.assert(
      fc.property(states, (state) => {
        const cursor = codec.encode('jobs', digest, state);
        expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
        expect(codec.decode(cursor, 'jobs', digest)).toEqual(state);
      }),
    );
  });

  it('writes the jobs after an anchor as digests of the nearest three, never as ids', () => {
    const job = (jobId: string): JobRecord => ({
      kind: 'importExport',
      jobId,
      jobType: 'Import',
      createdAt: null,
      isCanceled: false,
    });
    const items = ['a', 'next-1', 'next-2', 'next-3', 'next-4'].map(job);
    const cursor = codec.encode('jobs', digest, {
      sources: new Map([
        [
          'IOT:us-east-1',
          {
            position: {
              token: null,
              anchor: { id: 'a', at: 1 },
              page: { size: 5, skip: 1, items },
            },
          },
        ],
      ]),
    });
    expect(Buffer.from(cursor.split('.')[1] as string, 'base64url').toString()).not.toContain(
      'next-1',
    );
    const back = codec.decode(cursor, 'jobs', digest).sources.get('IOT:us-east-1')?.position;
    expect(back).toMatchObject({
      page: { successorDigests: ['next-1', 'next-2', 'next-3'].map(idDigest) },
    });
  });

  it('does not depend on the key order of the arguments it is bound to', () => {
    expect(digestArgs({ a: 1, b: { c: 2, d: 3 } })).toBe(digestArgs({ b: { d: 3, c: 2 }, a: 1 }));
    expect(digestArgs({ a: 1, b: null })).toBe(digestArgs({ a: 1 }));
    expect(digestArgs({ a: 1 })).not.toBe(digestArgs({ a: 2 }));
  });

  it('rejects any single changed character', () => {
    fc.assert(
      fc.property(states, fc.nat(), fc.integer({ min: 1, max: 63 }), (state, at, delta) => {
        const cursor = codec.encode('jobs', digest, state);
        const i = at % cursor.length;
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const current = alphabet.indexOf(cursor[i] as string);
        const replacement =
          current === -1 ? 'A' : (alphabet[(current + delta) % alphabet.length] as string);
        const tampered = cursor.slice(0, i) + replacement + cursor.slice(i + 1);
        if (tampered === cursor) return;
        expect(() => codec.decode(tampered, 'jobs', digest)).toThrow(InvalidCursorError);
      }),
    );
  });

  it('rejects truncation, garbage, other secrets, other fields and other arguments', () => {
    const cursor = codec.encode('jobs', digest, simple);
    for (let n = 0; n < cursor.length; n++) {
      expect(() => codec.decode(cursor.slice(0, n), 'jobs', digest)).toThrow(InvalidCursorError);
    }
    const bad = [
      '',
      'garbage',
      'c2..',
      'c2.e30.AAAAAAAAAAAAAAAAAAAAAA',
      cursor.replace(/^c2\./, 'c1.'),
      `${cursor}=`,
      `${cursor}.x`,
      'x'.repeat(MAX_CURSOR_LENGTH + 1),
      other.encode('jobs', digest, simple),
      codec.encode('iotJobs', digest, simple),
      codec.encode('jobs', digestArgs({ sources: ['IOT'] }), simple),
    ];
    for (const b of bad) expect(() => codec.decode(b, 'jobs', digest)).toThrow(InvalidCursorError);
  });

  it('rejects random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (s) => {
        expect(() => codec.decode(s, 'jobs', digest)).toThrow(InvalidCursorError);
      }),
    );
  });

  it('never writes a cursor it would refuse', () => {
    const huge: CursorState = {
      sources: new Map([['IOT:us-east-1', { position: { token: 'x'.repeat(MAX_CURSOR_LENGTH) } }]]),
    };
    expect(() => codec.encode('jobs', digest, huge)).toThrow(InvalidCursorError);
  });

  it('refuses a secret too short to protect anything', () => {
    expect(() => createCursorCodec('short')).toThrow();
  });
});
