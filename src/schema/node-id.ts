import { badUserInput } from '../errors.js';
import { NODE_TYPES } from '../sources/node-key.js';

/**
 * Global ids are base64url("<Type>:<upstream id>"), the usual Relay shape. They are not secret
 * (the upstream id is in the payload anyway), only opaque, so no signature is needed; a malformed
 * one is a client error, never a crash.
 */

const MAX_ID_LENGTH = 512;

export function encodeNodeId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

export function decodeNodeId(globalId: string): { typename: string; id: string } {
  if (typeof globalId !== 'string' || globalId.length > MAX_ID_LENGTH || globalId === '') {
    throw badUserInput('Invalid node id.');
  }
  // Accept standard base64 too: many clients hand ids around after a round trip through tools
  // that re-encode them.
  if (!/^[A-Za-z0-9_\-+/]+={0,2}$/.test(globalId)) throw badUserInput('Invalid node id.');
  const text = Buffer.from(globalId, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon <= 0 || id === '' || !(NODE_TYPES as readonly string[]).includes(typename)) {
    throw badUserInput('Invalid node id.');
  }
  return { typename, id };
}
