import { createCipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ListingKey } from './live-jobs.js';

/**
 * The IoT simulator's page tokens. A token says "continue after key K" (K being the listing key of
 * the last job of the page it ended), never "start at index N": jobs created or deleted before K,
 * K's own job included, do not move what the token continues with. It also holds the filter it
 * was issued for and the time it was issued.
 *
 * On the wire a token is opaque: the fields are encrypted (AES-256-CTR with the MAC as its IV, a
 * synthetic-IV construction, so equal positions give equal tokens) and authenticated (truncated
 * HMAC-SHA256), so a client can neither read a key out of a token nor forge one. The text is
 * standard base64 with padding and always ends in `=`, and usually holds `+` or `/`: characters a
 * client must percent-encode in the query string and in its signature, as with AWS's tokens.
 */

export interface TokenPosition {
  /** The key to continue after; `undefined` for the start of the listing. */
  readonly after: ListingKey | undefined;
  /** The empty-pages quirk already answered this position with an empty page. */
  readonly emptyServed: boolean;
  /** When the token was issued, epoch milliseconds. */
  readonly issuedAt: number;
}

export class TokenError extends Error {
  override readonly name = 'TokenError';

  constructor(readonly reason: 'invalid' | 'filter') {
    super(
      reason === 'filter'
        ? 'The pagination token does not match the request parameters.'
        : 'Invalid pagination token.',
    );
  }
}

export interface TokenCodec {
  encode(position: TokenPosition, filterKey: string): string;
  /** @throws TokenError */
  decode(text: string, filterKey: string): TokenPosition;
}

const VERSION = 2;
const FLAG_EMPTY_SERVED = 1;
const FLAG_FROM_START = 2;
const MAC_BYTES = 16;
// version, flags, issue time (48 bits), filter checksum (8), rank (float64), id length (1)
const HEADER_BYTES = 1 + 1 + 6 + 8 + 8 + 1;
const MAX_ID_BYTES = 255;
const MAX_TEXT = Math.ceil((MAC_BYTES + HEADER_BYTES + MAX_ID_BYTES + 2) / 3) * 4;
const SHAPE = /^[A-Za-z0-9+/]+=$/;

/**
 * @param scope what the tokens belong to (listing order, region): tokens of another scope fail
 * authentication, as a token of another region or account would. Derived from the scope and not
 * random, so tokens survive a simulator restart as real ones survive a service deploy.
 */
export function createTokenCodec(scope: string): TokenCodec {
  const macKey = createHash('sha256').update(`iot-simulator-token-mac|${scope}`).digest();
  const cipherKey = createHash('sha256').update(`iot-simulator-token-enc|${scope}`).digest();
  const checksum = (filterKey: string) =>
    createHash('sha256').update(filterKey).digest().subarray(0, 8);
  const macOf = (plain: Buffer) =>
    createHmac('sha256', macKey).update(plain).digest().subarray(0, MAC_BYTES);
  const crypt = (iv: Buffer, data: Buffer) => {
    const cipher = createCipheriv('aes-256-ctr', cipherKey, iv);
    return Buffer.concat([cipher.update(data), cipher.final()]);
  };

  return {
    encode({ after, emptyServed, issuedAt }, filterKey) {
      const id = Buffer.from(after?.jobId ?? '', 'utf8');
      if (id.length > MAX_ID_BYTES) throw new RangeError('job id too long for a token');
      // Padded so that MAC + body is 2 mod 3 bytes long: the base64 text then ends in one `=`.
      const unpadded = MAC_BYTES + HEADER_BYTES + id.length;
      const plain = Buffer.alloc(HEADER_BYTES + id.length + ((2 - (unpadded % 3) + 3) % 3));
      plain[0] = VERSION;
      plain[1] = (emptyServed ? FLAG_EMPTY_SERVED : 0) | (after ? 0 : FLAG_FROM_START);
      plain.writeUIntBE(Math.max(0, Math.min(issuedAt, 2 ** 48 - 1)), 2, 6);
      checksum(filterKey).copy(plain, 8);
      plain.writeDoubleBE(after?.rank ?? 0, 16);
      plain[24] = id.length;
      id.copy(plain, HEADER_BYTES);
      const mac = macOf(plain);
      return Buffer.concat([mac, crypt(mac, plain)]).toString('base64');
    },

    decode(text, filterKey) {
      if (text.length > MAX_TEXT || !SHAPE.test(text)) throw new TokenError('invalid');
      const bytes = Buffer.from(text, 'base64');
      // Only the canonical spelling of the bytes counts: no second text for the same token.
      if (bytes.length < MAC_BYTES + HEADER_BYTES || bytes.toString('base64') !== text) {
        throw new TokenError('invalid');
      }
      const mac = bytes.subarray(0, MAC_BYTES);
      const plain = crypt(mac, bytes.subarray(MAC_BYTES));
      if (!timingSafeEqual(macOf(plain), mac) || plain[0] !== VERSION) {
        throw new TokenError('invalid');
      }
      if (!checksum(filterKey).equals(plain.subarray(8, 16))) throw new TokenError('filter');
      const flags = plain[1] as number;
      const idLength = plain[24] as number;
      const id = plain.subarray(HEADER_BYTES, HEADER_BYTES + idLength);
      if (id.length !== idLength) throw new TokenError('invalid');
      return {
        after:
          (flags & FLAG_FROM_START) !== 0
            ? undefined
            : { rank: plain.readDoubleBE(16), jobId: id.toString('utf8') },
        emptyServed: (flags & FLAG_EMPTY_SERVED) !== 0,
        issuedAt: plain.readUIntBE(2, 6),
      };
    },
  };
}
