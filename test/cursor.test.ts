import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CursorPositions,
  createCursorCodec,
  digestArgs,
  InvalidCursorError,
  MAX_CURSOR_LENGTH,
} from '../src/pagination/cursor.js';

const codec = createCursorCodec('a-secret-of-thirty-two-characters!');
const other = createCursorCodec('another-secret-entirely-different');
const digest = digestArgs({ sources: ['IOT', 'IMPORT_EXPORT'], iot: { status: 'COMPLETED' } });

const iotPosition = fc.oneof(
  fc.constant('done' as const),
  fc.record({
    token: fc.option(fc.string({ minLength: 1, maxLength: 300 }), { nil: null }),
    skip: fc.nat({ max: 250 }),
  }),
);
const iePosition = fc.oneof(
  fc.constant('done' as const),
  fc.record({ marker: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null }) }),
);
const positions: fc.Arbitrary<CursorPositions> = fc.record(
  { iot: iotPosition, importExport: iePosition },
  { requiredKeys: [] },
);

describe('cursor codec', () => {
  it('round-trips every position it writes', () => {
    fc.assert(
      fc.property(positions, (p) => {
        const cursor = codec.encode('jobs', digest, p);
        expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
        const back = codec.decode(cursor, 'jobs', digest);
        expect(back.iot).toEqual(p.iot);
        expect(back.importExport).toEqual(p.importExport);
      }),
    );
  });

  it('does not depend on the key order of the arguments it is bound to', () => {
    expect(digestArgs({ a: 1, b: { c: 2, d: 3 } })).toBe(digestArgs({ b: { d: 3, c: 2 }, a: 1 }));
    expect(digestArgs({ a: 1, b: null })).toBe(digestArgs({ a: 1 }));
    expect(digestArgs({ a: 1 })).not.toBe(digestArgs({ a: 2 }));
  });

  it('rejects any single changed character', () => {
    fc.assert(
      fc.property(positions, fc.nat(), fc.integer({ min: 1, max: 63 }), (p, at, delta) => {
        const cursor = codec.encode('jobs', digest, p);
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
    const cursor = codec.encode('jobs', digest, { iot: { token: 'abc', skip: 3 } });
    for (let n = 0; n < cursor.length; n++) {
      expect(() => codec.decode(cursor.slice(0, n), 'jobs', digest)).toThrow(InvalidCursorError);
    }
    const bad = [
      '',
      'garbage',
      'c1..',
      'c2.e30.AAAAAAAAAAAAAAAAAAAAAA',
      `${cursor}=`,
      `${cursor}.x`,
      'x'.repeat(MAX_CURSOR_LENGTH + 1),
      other.encode('jobs', digest, { iot: { token: 'abc', skip: 3 } }),
      codec.encode('iotJobs', digest, { iot: { token: 'abc', skip: 3 } }),
      codec.encode('jobs', digestArgs({ sources: ['IOT'] }), { iot: { token: 'abc', skip: 3 } }),
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

  it('refuses a secret too short to protect anything', () => {
    expect(() => createCursorCodec('short')).toThrow();
  });
});
