import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError, Kind, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { ConfigError, type PersistedDocumentsMode } from './config.js';
import type { SharedRedis } from './redis.js';

/**
 * Persisted documents: the trusted documents of a manifest (the `persisted-documents.json` that
 * GraphQL Code Generator's client preset writes: `{ "<hash>": "<document>" }`), asked for by
 * `documentId` or by the hash of Apollo's automatic persisted queries (APQ), and APQ itself: a
 * client sends a document's SHA-256 alone; the gateway answers `PERSISTED_QUERY_NOT_FOUND` when it
 * does not know it, the client sends the document with its hash, and from then on the hash alone
 * does. Registered documents live in Redis when there is one, so a hash registered on one replica
 * works on all; else in a bounded LRU of the replica.
 *
 * `PERSISTED_DOCUMENTS`: `off` (documents only as text; a hash alone is answered
 * `PERSISTED_QUERY_NOT_SUPPORTED`, which tells Apollo's link to stop sending hashes), `allowed`
 * (the default: text, manifest ids and APQ), `required` (manifest documents only; any other is
 * refused with `PERSISTED_DOCUMENT_REQUIRED`, and APQ registers nothing).
 *
 * Looking documents up is yoga's persisted-operations plugin; registering APQ documents is the
 * small hook below (yoga's APQ plugin does it too, but its peer range does not fit this tree's
 * graphql-tools, and it stores a document before knowing it is valid).
 */

export interface PersistedManifest {
  /** Document text by id (the manifest's hash). */
  readonly documents: ReadonlyMap<string, string>;
  /** The names of the operations the manifest holds, for metric labels. */
  readonly operationNames: readonly string[];
}

/** Reads and checks the manifest; a problem is a ConfigError naming the variable. */
export async function loadManifest(path: string): Promise<PersistedManifest> {
  const problem = (why: string) => new ConfigError(`PERSISTED_DOCUMENTS_MANIFEST: ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw problem(
      (error as NodeJS.ErrnoException)?.code === 'ENOENT'
        ? 'the file does not exist'
        : 'the file cannot be read as JSON',
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw problem('must be a JSON object of document ids to documents');
  }
  const documents = new Map<string, string>();
  const operationNames = new Set<string>();
  for (const [id, text] of Object.entries(json)) {
    if (typeof text !== 'string' || !/^[\w:.-]{1,200}$/.test(id)) {
      throw problem('must be a JSON object of document ids to documents');
    }
    let document;
    try {
      document = parse(text);
    } catch {
      throw problem(`the document ${id.slice(0, 16)} does not parse`);
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) {
        operationNames.add(definition.name.value);
      }
    }
    documents.set(id, text);
  }
  return { documents, operationNames: [...operationNames] };
}

/** Documents registered through APQ, by SHA-256. */
export interface ApqStore {
  get(hash: string): Promise<string | undefined>;
  set(hash: string, document: string): void;
}

/**
 * How long a document registered through APQ is kept after its last use. Each use renews it, so
 * the documents of a running frontend stay; documents sent once (a client minting documents to
 * fill the store) go within the hour.
 */
export const APQ_TTL_SECONDS = 60 * 60;

/**
 * The largest document APQ registers, in bytes of UTF-8 (as it is stored). A larger one is still
 * run; it is just not kept, and its client keeps sending it in full.
 */
export const APQ_MAX_DOCUMENT_BYTES = 32 * 1024;

/** `now`: the clock of the TTL, in milliseconds (tests move it). */
export function createMemoryApqStore(now: () => number = () => performance.now()): ApqStore {
  const documents = new LRUCache<string, string>({
    max: 1000,
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (document) => document.length * 2 + 128,
    ttl: APQ_TTL_SECONDS * 1000,
    updateAgeOnGet: true,
    perf: { now },
    // Read the clock on every lookup rather than once per millisecond.
    ttlResolution: 0,
  });
  return {
    get: (hash) => Promise.resolve(documents.get(hash)),
    set: (hash, document) => {
      documents.set(hash, document);
    },
  };
}

/** Shared by every replica. Redis unavailable: unknown, and the client registers it again. */
export function createRedisApqStore(redis: SharedRedis): ApqStore {
  return {
    async get(hash) {
      // Read and renew in one round trip (GET and EXPIRE rather than GETEX, which older Redis
      // versions lack).
      const answer = await redis.attempt('apq-get', (c) =>
        c.multi().get(`apq:${hash}`).expire(`apq:${hash}`, APQ_TTL_SECONDS).exec(),
      );
      const document = answer?.[0]?.[1];
      return typeof document === 'string' ? document : undefined;
    },
    set: (hash, document) => {
      void redis.attempt('apq-set', (c) => c.set(`apq:${hash}`, document, 'EX', APQ_TTL_SECONDS));
    },
  };
}

export interface PersistedDocumentsOptions {
  readonly mode: PersistedDocumentsMode;
  readonly manifest?: PersistedManifest | undefined;
  readonly apq: ApqStore;
  readonly onApqLookup?: ((result: 'hit' | 'miss') => void) | undefined;
}

/** The request body's extra member that names a manifest document. */
export const DOCUMENT_ID_PARAM = 'documentId';

interface Params {
  readonly query?: string | undefined;
  readonly extensions?: Record<string, unknown> | undefined;
  readonly [DOCUMENT_ID_PARAM]?: unknown;
}

/** The APQ extension's hash, when the request carries a well-formed one. */
function apqHash(params: Params): string | undefined {
  const persisted = params.extensions?.persistedQuery as
    { version?: unknown; sha256Hash?: unknown } | undefined;
  return persisted?.version === 1 &&
    typeof persisted.sha256Hash === 'string' &&
    /^[0-9a-f]{64}$/.test(persisted.sha256Hash)
    ? persisted.sha256Hash
    : undefined;
}

function documentIdOf(params: Params): string | undefined {
  const id = params[DOCUMENT_ID_PARAM];
  return typeof id === 'string' ? id : apqHash(params);
}

const notFound = () =>
  new GraphQLError('PersistedQueryNotFound', {
    extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
  });

const noQuery = () =>
  new GraphQLError('Must provide query string.', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });

/**
 * The plugins of the API endpoint for the configured mode: `request` among the request plugins,
 * `admitted` after the rate limit (its hooks run only for operations the limit lets through).
 */
export function usePersistedDocuments(options: PersistedDocumentsOptions): {
  readonly request: Plugin[];
  readonly admitted: Plugin[];
} {
  const { mode, apq, onApqLookup } = options;
  const manifest = options.manifest?.documents ?? new Map<string, string>();
  const fromManifest = (id: string) =>
    manifest.get(id) ?? (id.startsWith('sha256:') ? manifest.get(id.slice(7)) : undefined);

  if (mode === 'off') {
    const refuseHashes: Plugin = {
      onParams({ params }) {
        const p = params as Params;
        if (!p.query && documentIdOf(p) !== undefined) {
          throw new GraphQLError('PersistedQueryNotSupported', {
            extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED', http: { status: 400 } },
          });
        }
      },
    };
    return { request: [refuseHashes], admitted: [] };
  }

  const lookup = usePersistedOperations({
    allowArbitraryOperations: mode === 'allowed',
    extractPersistedOperationId: (params) => documentIdOf(params as Params) ?? null,
    getPersistedOperation: async (id) => {
      const known = fromManifest(id);
      if (known !== undefined || mode === 'required') return known ?? null;
      const registered = await apq.get(id);
      onApqLookup?.(registered === undefined ? 'miss' : 'hit');
      return registered ?? null;
    },
    customErrors: {
      notFound: notFound,
      keyNotFound: noQuery,
      persistedQueryOnly: () =>
        new GraphQLError(
          'Only persisted documents are accepted: send the documentId of a document of the manifest.',
          { extensions: { code: 'PERSISTED_DOCUMENT_REQUIRED', http: { status: 400 } } },
        ),
    },
  }) as Plugin;
  if (mode === 'required') return { request: [lookup], admitted: [] };
  const registration = useApqRegistration(apq, (hash) => fromManifest(hash) !== undefined);
  return { request: [registration.check, lookup], admitted: [registration.register] };
}

/**
 * The registering half of APQ: a document sent with its hash is checked against the hash and kept
 * under it once the operation is about to run, that is once it has validated and its client has
 * been admitted by the rate limit (when one is set). A client cannot fill the store with text that
 * is no operation, nor faster than its rate allows. Documents above `APQ_MAX_DOCUMENT_BYTES` are
 * not kept.
 */
function useApqRegistration(
  store: ApqStore,
  inManifest: (hash: string) => boolean,
): { readonly check: Plugin; readonly register: Plugin } {
  const pending = new WeakMap<object, { hash: string; document: string }>();
  return {
    check: {
      onParams({ params, context }) {
        const p = params as Params;
        const hash = apqHash(p);
        if (!p.query || hash === undefined) return;
        if (createHash('sha256').update(p.query).digest('hex') !== hash) {
          throw new GraphQLError('provided sha does not match query', {
            extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH', http: { status: 400 } },
          });
        }
        if (!inManifest(hash) && Buffer.byteLength(p.query) <= APQ_MAX_DOCUMENT_BYTES) {
          pending.set(context, { hash, document: p.query });
        }
      },
    },
    register: {
      onExecute({ args }) {
        const registration = pending.get(args.contextValue as object);
        if (registration) store.set(registration.hash, registration.document);
      },
    },
  };
}
