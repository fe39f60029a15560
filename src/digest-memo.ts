import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * SHA-256 digests (base64url, the first `length` characters) of texts that come back often, the
 * latest `max` of them kept; texts longer than `maxText` are digested every time.
 */
export function digestMemo(length: number, max: number, maxText: number): (text: string) => string {
  const kept = new LRUCache<string, string>({ max });
  return (text) => {
    let digest = kept.get(text);
    if (digest === undefined) {
      digest = createHash('sha256').update(text).digest('base64url').slice(0, length);
      if (text.length <= maxText) kept.set(text, digest);
    }
    return digest;
  };
}
