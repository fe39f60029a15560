import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.js';
import {
  APQ_TTL_SECONDS,
  createMemoryApqStore,
  loadManifest,
  type PersistedManifest,
} from '../src/persisted-documents.js';
import { type GraphQLResponse, type Stack, startStack } from './harness.js';
import possibleTypes from './gql/possible-types.js';
import { IotJobsPage, JobsPage } from './operations.js';

// Persisted documents through HTTP: the manifest GraphQL Code Generator's client preset wrote for
// the test documents (test/gql/persisted-documents.json), each mode of PERSISTED_DOCUMENTS, and
// Apollo Client's own persisted-query link against the default mode.

const MANIFEST = fileURLToPath(new URL('./gql/persisted-documents.json', import.meta.url));

let manifest: PersistedManifest;
const stacks: Stack[] = [];

beforeAll(async () => {
  manifest = await loadManifest(MANIFEST);
});

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});

async function gateway(options: Parameters<typeof startStack>[0]): Promise<Stack> {
  const stack = await startStack(options);
  stacks.push(stack);
  return stack;
}

async function post(stack: Stack, body: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
}

const codes = (answer: GraphQLResponse) => answer.body.errors?.map((e) => e.extensions?.code);
/** The id codegen gave a document (its SHA-256), as a frontend built with it would send. */
const idOf = (document: unknown) => (document as { __meta__: { hash: string } }).__meta__.hash;

describe('the manifest', () => {
  it('is what codegen wrote: each id is the SHA-256 of its document', () => {
    expect(manifest.documents.size).toBeGreaterThan(3);
    for (const [id, text] of manifest.documents) {
      expect(createHash('sha256').update(text).digest('hex')).toBe(id);
    }
    expect(manifest.documents.has(idOf(JobsPage))).toBe(true);
    expect(manifest.operationNames).toContain('JobsPage');
  });
});

describe('PERSISTED_DOCUMENTS=allowed (the default)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await gateway({
      persistedDocuments: manifest,
      metrics: createMetrics({
        defaultMetrics: false,
        // No names of clients' choosing become labels: only the manifest's.
        operationNames: 0,
        persistedOperationNames: manifest.operationNames,
      }),
    });
  });

  it('serves documents of the manifest by documentId, and any other document as text', async () => {
    const byId = await post(stack, { documentId: idOf(JobsPage), variables: { first: 3 } });
    expect(byId.status).toBe(200);
    const asText = await post(stack, { query: print(JobsPage), variables: { first: 3 } });
    expect(byId.body).toEqual(asText.body);
    const prefixed = await post(stack, {
      documentId: `sha256:${idOf(JobsPage)}`,
      variables: { first: 3 },
    });
    expect(prefixed.body).toEqual(asText.body);
  });

  it('answers an unknown id PERSISTED_QUERY_NOT_FOUND', async () => {
    const unknown = await post(stack, { documentId: 'f'.repeat(64) });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('labels metrics with the manifest operation names, beside the bound on names clients choose', async () => {
    await post(stack, { documentId: idOf(IotJobsPage), variables: { first: 1 } });
    await post(stack, { query: 'query MadeUpName { jobs(first: 1) { edges { cursor } } }' });
    const text = await (await fetch(stack.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/graphql_envelop_request\{operationName="IotJobsPage"/);
    expect(text).not.toContain('MadeUpName');
    expect(text).toMatch(/graphql_envelop_request\{operationName="other"/);
  });

  it("works with Apollo Client's persisted-query link: hash first, the document once, then the hash alone", async () => {
    const sent: { query: boolean; hash: boolean }[] = [];
    const fetchSpy: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body)) as {
        query?: string;
        extensions?: { persistedQuery?: unknown };
      };
      sent.push({ query: typeof body.query === 'string', hash: !!body.extensions?.persistedQuery });
      return fetch(input, init);
    };
    const client = () =>
      new ApolloClient({
        link: new PersistedQueryLink({
          sha256: (text) => createHash('sha256').update(text).digest('hex'),
        }).concat(new HttpLink({ uri: stack.url, fetch: fetchSpy })),
        cache: new InMemoryCache({ possibleTypes: possibleTypes.possibleTypes }),
      });
    const query = JobsPage;
    const first = await client().query({ query, variables: { first: 2, sources: ['IOT'] } });
    expect(first.data?.jobs.edges).toHaveLength(2);
    // Unknown at first: the hash, then the document with it.
    expect(sent).toEqual([
      { query: false, hash: true },
      { query: true, hash: true },
    ]);
    const second = await client().query({ query, variables: { first: 2, sources: ['IOT'] } });
    const ids = (data: typeof first.data) => data?.jobs.edges.map((e) => e.node.id);
    expect(ids(second.data)).toEqual(ids(first.data));
    expect(sent.at(-1)).toEqual({ query: false, hash: true });
    expect(sent).toHaveLength(3);
  });
});

describe('PERSISTED_DOCUMENTS=required', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await gateway({
      persistedDocuments: manifest,
      config: { persistedDocuments: 'required' },
    });
  });

  it('refuses a document that is not in the manifest with a coded error', async () => {
    const text = await post(stack, { query: '{ jobs(first: 1) { edges { cursor } } }' });
    expect(text.status).toBe(400);
    expect(codes(text)).toEqual(['PERSISTED_DOCUMENT_REQUIRED']);
    // The very text of a manifest document too: only ids are taken.
    expect(codes(await post(stack, { query: print(JobsPage) }))).toEqual([
      'PERSISTED_DOCUMENT_REQUIRED',
    ]);
    expect(codes(await post(stack, { documentId: 'a'.repeat(64) }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });

  it('serves manifest documents by documentId and by APQ hash, and registers nothing', async () => {
    const byId = await post(stack, { documentId: idOf(JobsPage), variables: { first: 2 } });
    expect(byId.status).toBe(200);
    expect(byId.body.errors).toBeUndefined();
    const byHash = await post(stack, {
      extensions: { persistedQuery: { version: 1, sha256Hash: idOf(JobsPage) } },
      variables: { first: 2 },
    });
    expect(byHash.body).toEqual(byId.body);

    const other = '{ iotJobs(first: 1) { edges { cursor } } }';
    const hash = createHash('sha256').update(other).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    expect(codes(await post(stack, { query: other, extensions }))).toEqual([
      'PERSISTED_DOCUMENT_REQUIRED',
    ]);
    expect(codes(await post(stack, { extensions }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('PERSISTED_DOCUMENTS=off', () => {
  it('takes documents as text only and tells APQ clients it does not support hashes', async () => {
    const stack = await gateway({ config: { persistedDocuments: 'off' } });
    const hashOnly = await post(stack, {
      extensions: { persistedQuery: { version: 1, sha256Hash: idOf(JobsPage) } },
    });
    expect(codes(hashOnly)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    expect((await post(stack, { query: print(JobsPage), variables: { first: 1 } })).status).toBe(
      200,
    );
    expect(codes(await post(stack, { documentId: idOf(JobsPage) }))).toEqual([
      'PERSISTED_QUERY_NOT_SUPPORTED',
    ]);
  });
});

describe('APQ documents kept in the replica (no Redis)', () => {
  it('are kept for an hour after their last use: each use renews them', async () => {
    let now = 1_000_000;
    const store = createMemoryApqStore(() => now);
    store.set('used', '{ jobs { edges { cursor } } }');
    store.set('sent-once', '{ iotJobs { edges { cursor } } }');
    const hour = APQ_TTL_SECONDS * 1000;
    now += hour - 1000;
    expect(await store.get('used')).toBeDefined();
    now += 2000;
    // An hour and a second after both were sent, the one used meanwhile is still there.
    expect(await store.get('used')).toBeDefined();
    expect(await store.get('sent-once')).toBeUndefined();
    now += hour + 1;
    expect(await store.get('used')).toBeUndefined();
  });
});
