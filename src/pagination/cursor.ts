import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The only place cursors are made and read.
 *
 * A cursor carries upstream positions (an IoT page token plus an offset, an Import/Export marker),
 * so it must not be forgeable: otherwise a client could feed arbitrary tokens into calls signed
 * with the gateway's AWS credentials. Each cursor is therefore
 *
 *   "c1." + base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, version + payload)[0..16])
 *
 * and the payload names the field it belongs to and a digest of the arguments that shape the
 * list (filters, selected sources), so a cursor of one list cannot be replayed against another.
 * Cursors are stateless: any instance with the same secret continues a walk.
 */

export const CURSOR_VERSION = 'c1';
/**
 * IoT documents no bound on `nextToken`; real tokens run to a few hundred characters. A merged
 * cursor holds one token (base64 grows it by a third) plus a marker, with room to spare.
 */
export const MAX_CURSOR_LENGTH = 4096;
const MAC_BYTES = 16;

export type CursorField = 'iotJobs' | 'importExportJobs' | 'jobs';

/** Where to resume in IoT: the token of the upstream page (null = first page) and how many of
 * its items are already consumed. `done` means the stream is known to be exhausted. */
export type IotPosition = { readonly token: string | null; readonly skip: number } | 'done';

/** Where to resume in Import/Export: the JobId to start after (null = newest job). */
export type ImportExportPosition = { readonly marker: string | null } | 'done';

export interface CursorPositions {
  readonly iot?: IotPosition | undefined;
  readonly importExport?: ImportExportPosition | undefined;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export interface CursorCodec {
  encode(field: CursorField, argsDigest: string, positions: CursorPositions): string;
  /** Throws InvalidCursorError for anything but an intact cursor of this field and arguments. */
  decode(cursor: string, field: CursorField, argsDigest: string): CursorPositions;
}

/** A short, stable digest of the arguments a cursor is bound to. Key order does not matter. */
export function digestArgs(args: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(args)).digest('base64url').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// Compact wire forms keep cursors short: {t,k} for IoT, {m} for Import/Export, 0 for done.
type IotWire = { t: string | null; k: number } | 0;
type ImportExportWire = { m: string | null } | 0;
interface Payload {
  f: CursorField;
  a: string;
  i?: IotWire;
  x?: ImportExportWire;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function createCursorCodec(secret: string): CursorCodec {
  if (secret.length < 16) throw new Error('cursor secret must be at least 16 characters');
  const key = Buffer.from(secret, 'utf8');
  const mac = (body: string) =>
    createHmac('sha256', key).update(`${CURSOR_VERSION}.${body}`).digest().subarray(0, MAC_BYTES);

  return {
    encode(field, argsDigest, positions) {
      const payload: Payload = { f: field, a: argsDigest };
      if (positions.iot !== undefined) payload.i = toIotWire(positions.iot);
      if (positions.importExport !== undefined)
        payload.x = toImportExportWire(positions.importExport);
      const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
      const cursor = `${CURSOR_VERSION}.${body}.${mac(body).toString('base64url')}`;
      // Never hand out a cursor that decode would refuse.
      if (cursor.length > MAX_CURSOR_LENGTH) {
        throw new InvalidCursorError('the upstream position does not fit in a cursor');
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
      return {
        iot: p.i === undefined ? undefined : fromIotWire(p.i),
        importExport: p.x === undefined ? undefined : fromImportExportWire(p.x),
      };
    },
  };
}

function toIotWire(position: IotPosition): IotWire {
  return position === 'done' ? 0 : { t: position.token, k: position.skip };
}

function toImportExportWire(position: ImportExportPosition): ImportExportWire {
  return position === 'done' ? 0 : { m: position.marker };
}

// The payload is authenticated, so these checks catch our own mistakes (or a leaked secret),
// not tampering; they still refuse anything that is not exactly the shape we write.
function fromIotWire(wire: unknown): IotPosition {
  if (wire === 0) return 'done';
  const w = wire as { t?: unknown; k?: unknown } | null;
  if (
    w &&
    typeof w === 'object' &&
    (w.t === null || typeof w.t === 'string') &&
    Number.isSafeInteger(w.k) &&
    (w.k as number) >= 0
  ) {
    return { token: w.t as string | null, skip: w.k as number };
  }
  throw new InvalidCursorError('malformed cursor');
}

function fromImportExportWire(wire: unknown): ImportExportPosition {
  if (wire === 0) return 'done';
  const w = wire as { m?: unknown } | null;
  if (w && typeof w === 'object' && (w.m === null || typeof w.m === 'string')) {
    return { marker: w.m as string | null };
  }
  throw new InvalidCursorError('malformed cursor');
}
