import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  type Anchor,
  DIGEST_LENGTH,
  type OpenPosition,
  type PageMark,
  type Position,
  successorDigests,
} from './position.js';

/**
 * The only place cursors are made and read.
 *
 * A cursor carries upstream positions (IoT page tokens, Import/Export markers, the identity of
 * the last job delivered from each source), so it must not be forgeable: otherwise a client could
 * feed arbitrary tokens into calls signed with the gateway's AWS credentials. Each cursor is
 *
 *   "c2." + base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, version + payload)[0..16])
 *
 * and the payload names the field it belongs to and a digest of the arguments that shape the
 * list (filters, selected sources and regions, time window), so a cursor of one list cannot be
 * replayed against another. Cursors are stateless: any instance with the same secret continues a
 * walk. Version 1 cursors (offset positions) are refused: offsets are what this version replaces.
 */

export const CURSOR_VERSION = 'c2';
/**
 * IoT documents no bound on `nextToken`; real tokens run to a few hundred characters. A cursor of
 * `jobs` holds one position per source and region; this leaves room for ten regions at the sizes
 * measured against the simulators (see the README) and keeps a cursor usable in a GET URL.
 */
export const MAX_CURSOR_LENGTH = 4096;
const MAC_BYTES = 16;

export type CursorField = 'iotJobs' | 'importExportJobs' | 'jobs';

/** Per source key: where the walk stands, and how many jobs the source gave to the page so far. */
export interface CursorState {
  readonly positions: ReadonlyMap<string, Position>;
  /** Jobs each source contributed to the page the cursor comes from, up to its edge. */
  readonly taken: ReadonlyMap<string, number>;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export interface CursorCodec {
  encode(field: CursorField, argsDigest: string, state: CursorState): string;
  /** Throws InvalidCursorError for anything but an intact cursor of this field and arguments. */
  decode(cursor: string, field: CursorField, argsDigest: string): CursorState;
}

/** Digests of the argument sets seen lately: most requests page with the defaults or a few filters. */
const digests = new Map<string, string>();
const MAX_KEPT_DIGESTS = 1000;

/** A short, stable digest of the arguments a cursor is bound to. Key order does not matter. */
export function digestArgs(args: Record<string, unknown>): string {
  const canonical = canonicalJson(args);
  let digest = digests.get(canonical);
  if (digest === undefined) {
    digest = createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
    if (digests.size >= MAX_KEPT_DIGESTS) digests.clear();
    if (canonical.length <= 1024) digests.set(canonical, digest);
  }
  return digest;
}

function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Compact wire form of a position, absent members left out: t token, a anchor id, d anchor date,
 * n/k/s the page mark (size, skip, successor digests), u unordered, h horizon, f floor, c jobs
 * taken.
 * 0 is done, 1 expired.
 */
interface WirePosition {
  f?: 1;
  h?: number;
  t?: string;
  a?: string;
  d?: number;
  n?: number;
  k?: number;
  s?: string;
  u?: 1;
  c?: number;
}
type Wire = WirePosition | 0 | 1;

interface Payload {
  f: CursorField;
  a: string;
  p: Record<string, Wire>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function createCursorCodec(secret: string): CursorCodec {
  if (secret.length < 16) throw new Error('cursor secret must be at least 16 characters');
  const key = Buffer.from(secret, 'utf8');
  const mac = (body: string) =>
    createHmac('sha256', key).update(`${CURSOR_VERSION}.${body}`).digest().subarray(0, MAC_BYTES);

  return {
    encode(field, argsDigest, state) {
      const p: Record<string, Wire> = {};
      for (const [source, position] of state.positions) {
        p[source] = toWire(position, state.taken.get(source));
      }
      const payload: Payload = { f: field, a: argsDigest, p };
      const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
      const cursor = `${CURSOR_VERSION}.${body}.${mac(body).toString('base64url')}`;
      // Never hand out a cursor that decode would refuse.
      if (cursor.length > MAX_CURSOR_LENGTH) {
        throw new InvalidCursorError('the upstream positions do not fit in a cursor');
      }
      return cursor;
    },

    decode(cursor, field, argsDigest) {
      if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH) {
        throw new InvalidCursorError('cursor is too long');
      }
      const parts = cursor.split('.');
      if (parts.length !== 3 || parts[0] !== CURSOR_VERSION) {
        throw new InvalidCursorError('not a cursor of this API version');
      }
      const [, body = '', signature = ''] = parts;
      if (!BASE64URL.test(body) || !BASE64URL.test(signature)) {
        throw new InvalidCursorError('malformed cursor');
      }
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      // Re-encoding guards against alternative base64 spellings of the same bytes.
      if (
        given.length !== expected.length ||
        given.toString('base64url') !== signature ||
        !timingSafeEqual(given, expected)
      ) {
        throw new InvalidCursorError('cursor signature does not match');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        throw new InvalidCursorError('malformed cursor');
      }
      const p = payload as Partial<Payload> | null;
      if (!p || typeof p !== 'object' || p.f !== field || p.a !== argsDigest) {
        throw new InvalidCursorError('cursor belongs to another field or other arguments');
      }
      if (!p.p || typeof p.p !== 'object' || Array.isArray(p.p)) {
        throw new InvalidCursorError('malformed cursor');
      }
      const positions = new Map<string, Position>();
      const taken = new Map<string, number>();
      for (const [source, wire] of Object.entries(p.p)) {
        positions.set(source, fromWire(wire));
        const count = (wire as WirePosition | null)?.c;
        if (count !== undefined) taken.set(source, count);
      }
      return { positions, taken };
    },
  };
}

function toWire(position: Position, taken: number | undefined): Wire {
  if (position === 'done') return 0;
  if (position === 'expired') return 1;
  const w: WirePosition = {};
  if (position.token !== null) w.t = position.token;
  if (position.anchor) {
    w.a = position.anchor.id;
    if (position.anchor.at !== null) w.d = position.anchor.at;
  }
  const page = position.page;
  if (page) {
    w.n = page.size;
    w.k = page.skip;
    const successors = successorDigests(page);
    if (successors.length > 0) w.s = successors.join('');
  }
  if (position.unordered) w.u = 1;
  if (position.horizon !== undefined) w.h = position.horizon;
  if (position.floor) w.f = 1;
  if (taken !== undefined && taken > 0) w.c = taken;
  return w;
}

function digestsOf(text: string): string[] {
  const digests: string[] = [];
  for (let i = 0; i < text.length; i += DIGEST_LENGTH)
    digests.push(text.slice(i, i + DIGEST_LENGTH));
  return digests;
}

const COUNT = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

// The payload is authenticated, so these checks catch our own mistakes (or a leaked secret),
// not tampering; they still refuse anything that is not exactly the shape we write.
function fromWire(wire: unknown): Position {
  if (wire === 0) return 'done';
  if (wire === 1) return 'expired';
  if (!wire || typeof wire !== 'object' || Array.isArray(wire)) {
    throw new InvalidCursorError('malformed cursor');
  }
  const w = wire as Record<string, unknown>;
  const optional = (name: string, test: (v: unknown) => boolean) => {
    if (w[name] !== undefined && !test(w[name])) throw new InvalidCursorError('malformed cursor');
  };
  const text = (v: unknown) => typeof v === 'string' && v !== '';
  optional('t', text);
  optional('a', text);
  optional('d', Number.isSafeInteger);
  optional('n', (v) => COUNT(v) && (v as number) >= 1);
  optional('k', COUNT);
  optional('s', (v) => typeof v === 'string' && v !== '' && v.length % DIGEST_LENGTH === 0);
  optional('u', (v) => v === 1);
  optional('h', Number.isSafeInteger);
  optional('f', (v) => v === 1);
  optional('c', COUNT);
  if ((w.n === undefined) !== (w.k === undefined) || (w.d !== undefined && w.a === undefined)) {
    throw new InvalidCursorError('malformed cursor');
  }
  const anchor: Anchor | undefined =
    w.a === undefined ? undefined : { id: w.a as string, at: (w.d as number | undefined) ?? null };
  const page: PageMark | undefined =
    w.n === undefined
      ? undefined
      : {
          size: w.n as number,
          skip: w.k as number,
          ...(w.s === undefined ? {} : { successorDigests: digestsOf(w.s as string) }),
        };
  // A position inside a page, or one with a floor, is only ever written with an anchor.
  if ((page || w.f === 1) && anchor === undefined) {
    throw new InvalidCursorError('malformed cursor');
  }
  const position: OpenPosition = {
    token: (w.t as string | undefined) ?? null,
    ...(anchor ? { anchor } : {}),
    ...(page ? { page } : {}),
    ...(w.u === 1 ? { unordered: true } : {}),
    ...(w.h === undefined ? {} : { horizon: w.h as number }),
    ...(w.f === 1 ? { floor: true } : {}),
  };
  return position;
}
