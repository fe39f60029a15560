import { createHmac, timingSafeEqual } from 'node:crypto';
import { digestMemo } from '../digest-memo.js';
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
 * `jobs` holds one position per source and region: 4/3 of its token and anchor id plus about 170
 * characters each (up to 235 with every optional member). This leaves room for ten regions whose
 * token and job id together stay within about 395 characters, and still fits in the URL of a GET
 * request as common servers and proxies take it (8 KB).
 */
export const MAX_CURSOR_LENGTH = 7168;
const MAC_BYTES = 16;

export type CursorField = 'iotJobs' | 'importExportJobs' | 'jobs';

/** What a cursor says of one source. */
export interface SourceState {
  readonly position: Position;
  /** Jobs the source gave the page the cursor comes from, up to its edge (sizes the next read). */
  readonly taken?: number | undefined;
  /** The createdAt of the source's next job, when it was known (spares reading it too early). */
  readonly head?: number | undefined;
  /** Milliseconds between two of the source's jobs, on the last page read (sizes reads). */
  readonly gap?: number | undefined;
}

/** Per source key. */
export interface CursorState {
  readonly sources: ReadonlyMap<string, SourceState>;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export interface CursorCodec {
  encode(field: CursorField, argsDigest: string, state: CursorState): string;
  /** Throws InvalidCursorError for anything but an intact cursor of this field and arguments. */
  decode(cursor: string, field: CursorField, argsDigest: string): CursorState;
}

/** Most requests page with the defaults or a few filters: their digests are kept. */
const argsDigest = digestMemo(16, 1000, 1024);

/** A short, stable digest of the arguments a cursor is bound to. Key order does not matter. */
export function digestArgs(args: Record<string, unknown>): string {
  return argsDigest(canonicalJson(args));
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
 * taken, e the next job's date (before the anchor's, when there is one), g the time between jobs.
 * 0 is done, 1 expired.
 */
interface WirePosition {
  e?: number;
  g?: number;
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
      for (const [source, entry] of state.sources) p[source] = toWire(entry);
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
      const sources = new Map<string, SourceState>();
      for (const [source, wire] of Object.entries(p.p)) sources.set(source, fromWire(wire));
      return { sources };
    },
  };
}

function toWire({ position, taken, head, gap }: SourceState): Wire {
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
  // Relative to the anchor's date where there is one: a shorter number.
  if (head !== undefined) w.e = w.d === undefined ? head : w.d - head;
  if (gap !== undefined) w.g = Math.max(1, Math.round(gap));
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
function fromWire(wire: unknown): SourceState {
  if (wire === 0) return { position: 'done' };
  if (wire === 1) return { position: 'expired' };
  if (!wire || typeof wire !== 'object' || Array.isArray(wire)) throw malformed();
  const w = wire as Record<string, unknown>;
  for (const name of Object.keys(w)) if (!WIRE_MEMBERS.has(name)) throw malformed();
  const optional = (name: string, test: (v: unknown) => boolean) => {
    if (w[name] !== undefined && !test(w[name])) throw malformed();
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
  optional('e', Number.isSafeInteger);
  optional('g', (v) => COUNT(v) && (v as number) >= 1);
  const anchored = w.a !== undefined;
  // What the encoder never writes: a page mark not whole or past its page, successors without a
  // page, and a date, a floor or an order flag without the anchor they belong to.
  if (
    (w.n === undefined) !== (w.k === undefined) ||
    (w.n !== undefined && (w.k as number) > (w.n as number)) ||
    (w.s !== undefined && w.n === undefined) ||
    (!anchored &&
      (w.d !== undefined || w.n !== undefined || w.f !== undefined || w.u !== undefined))
  ) {
    throw malformed();
  }
  const anchor: Anchor | undefined = anchored
    ? { id: w.a as string, at: (w.d as number | undefined) ?? null }
    : undefined;
  const page: PageMark | undefined =
    w.n === undefined
      ? undefined
      : {
          size: w.n as number,
          skip: w.k as number,
          ...(w.s === undefined ? {} : { successorDigests: digestsOf(w.s as string) }),
        };
  const position: OpenPosition = {
    token: (w.t as string | undefined) ?? null,
    ...(anchor ? { anchor } : {}),
    ...(page ? { page } : {}),
    ...(w.u === 1 ? { unordered: true } : {}),
    ...(w.h === undefined ? {} : { horizon: w.h as number }),
    ...(w.f === 1 ? { floor: true } : {}),
  };
  return {
    position,
    ...(w.c === undefined ? {} : { taken: w.c as number }),
    ...(w.e === undefined
      ? {}
      : { head: w.d === undefined ? (w.e as number) : (w.d as number) - (w.e as number) }),
    ...(w.g === undefined ? {} : { gap: w.g as number }),
  };
}

const WIRE_MEMBERS = new Set(['t', 'a', 'd', 'n', 'k', 's', 'u', 'h', 'f', 'c', 'e', 'g']);

function malformed(): InvalidCursorError {
  return new InvalidCursorError('malformed cursor');
}
