import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type Stack, startStack } from './harness.js';
import { SECRETS } from './secrets.js';

/**
 * A corpus of bad requests, about half written by hand and half generated. Each must get a 4xx,
 * or a 200 whose errors all carry a code; never a 5xx, a stack trace or a "Did you mean", and
 * never an upstream call. The gateway runs with production settings (no introspection).
 */

interface BadRequest {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

const json = { 'content-type': 'application/json' };
const gql = (query: string, variables?: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ query, variables, ...extra });
const page = (args: string) => `{ jobs(${args}) { edges { cursor } } }`;

function handWritten(goodCursor: string): BadRequest[] {
  const cases: BadRequest[] = [];
  const add = (name: string, request: Omit<BadRequest, 'name'>) => cases.push({ name, ...request });
  const flip = (s: string, i: number) =>
    s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

  // Cursors.
  const cursors = [
    '',
    'x',
    'null',
    'c1',
    'c1.',
    'c1..',
    'c1.e30.',
    'c2.e30.AAAAAAAAAAAAAAAAAAAAAA',
    goodCursor.slice(0, -1),
    goodCursor.slice(0, 10),
    `${goodCursor}A`,
    `${goodCursor}.`,
    goodCursor.replace(/^c2\./, 'c0.'),
    goodCursor.replace(/^c2\./, 'c1.'),
    goodCursor.toUpperCase(),
    goodCursor.split('').reverse().join(''),
    `c2.${'A'.repeat(3000)}.AAAAAAAAAAAAAAAAAAAAAA`,
    'A'.repeat(10_000),
    '🙂'.repeat(50),
    '\u0000\u0001\u0002',
    '../../etc/passwd',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    Buffer.from('{"f":"jobs","a":"x","i":{"t":"evil","k":0}}').toString('base64url'),
    `c2.${Buffer.from('{"f":"jobs","a":"x","p":{"IOT:us-east-1":{"t":"evil"}}}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`,
  ];
  for (let i = 3; i < goodCursor.length; i += Math.max(1, Math.floor(goodCursor.length / 12))) {
    cursors.push(flip(goodCursor, i));
  }
  for (const [i, after] of cursors.entries()) {
    add(`cursor #${i}`, {
      body: gql(page('first: 5, after: $after').replace('{ jobs', 'query($after: String) { jobs'), {
        after,
      }),
    });
    add(`iotJobs cursor #${i}`, {
      body: gql('query($a: String) { iotJobs(after: $a) { edges { cursor } } }', { a: after }),
    });
  }
  add('jobs cursor on importExportJobs', {
    body: gql('query($a: String) { importExportJobs(after: $a) { edges { cursor } } }', {
      a: goodCursor,
    }),
  });

  // Page sizes.
  for (const first of [
    '0',
    '-1',
    '101',
    '1000',
    '2147483647',
    '2147483648',
    '-2147483649',
    '1e3',
    '1.5',
    '"5"',
    'true',
    '[5]',
    '{}',
  ]) {
    add(`first: ${first}`, { body: gql(page(`first: ${first}`)) });
  }
  for (const first of [0, -1, 101, 2 ** 31, 1e12, 1.5, '5', true, [5], { n: 5 }]) {
    add(`$first = ${JSON.stringify(first)}`, {
      body: gql('query($n: Int) { jobs(first: $n) { edges { cursor } } }', { n: first }),
    });
  }

  // Filters and ids.
  for (const [key, value] of [
    ['thingGroupName', 'has space'],
    ['thingGroupName', 'x'.repeat(129)],
    ['thingGroupId', 'under_score'],
    ['namespaceId', 'x'.repeat(65)],
    ['namespaceId', ''],
    ['status', 'QUEUED'],
    ['targetSelection', 'BOTH'],
    ['unknownKey', 'x'],
  ] as const) {
    add(`filter ${key}=${value.slice(0, 10)}`, {
      body: gql('query($f: IotJobFilter) { iotJobs(filter: $f) { edges { cursor } } }', {
        f: { [key]: value },
      }),
    });
  }
  add('empty sources', { body: gql('{ jobs(sources: []) { edges { cursor } } }') });
  add('unknown source', { body: gql('{ jobs(sources: [S3]) { edges { cursor } } }') });
  for (const id of [
    '',
    'x',
    '!!!',
    Buffer.from('User:1').toString('base64'),
    Buffer.from('IotJob:').toString('base64'),
    'A'.repeat(600),
    Buffer.from('IotJob:bad id!').toString('base64url'),
  ]) {
    add(`node id ${id.slice(0, 12)}`, {
      body: gql('query($id: ID!) { node(id: $id) { id } }', { id }),
    });
  }
  add('nodes with a null id', {
    body: gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [null] }),
  });

  // Shapes of documents.
  let deep = 'jobId';
  for (let i = 0; i < 20; i++) deep = `edges { node { ${deep} } } pageInfo { hasNextPage }`;
  add('depth 40', { body: gql(`{ jobs { ${deep} } }`) });
  add('1000 aliases', {
    body: gql(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`),
  });
  add('100 aliased pages', {
    body: gql(
      `{ ${Array.from({ length: 100 }, (_, i) => `p${i}: jobs(first: 100) { edges { cursor } }`).join(' ')} }`,
    ),
  });
  add('20k tokens', { body: gql(`{ ${'__typename '.repeat(20_000)} }`) });
  add('wide page', {
    body: gql(`{ jobs(first: 100) { edges { node { ${'jobId '.repeat(3000)} } } } }`),
  });
  add('directive flood', { body: gql(`{ __typename ${'@include(if: true) '.repeat(200)} }`) });
  add('fragment cycle', {
    body: gql(
      '{ jobs { ...A } } fragment A on JobConnection { edges { cursor } ...B } fragment B on JobConnection { ...A }',
    ),
  });
  add('unknown fragment', { body: gql('{ jobs { ...Nope } }') });
  add('unknown field', { body: gql('{ jbos { edges { cursor } } }') });
  add('unknown nested field', { body: gql('{ jobs { edges { node { secret } } } }') });
  add('unknown argument', { body: gql('{ jobs(last: 5) { edges { cursor } } }') });
  add('before is not offered', { body: gql('{ jobs(before: "x") { edges { cursor } } }') });
  add('introspection', { body: gql('{ __schema { types { name } } }') });
  add('type introspection', { body: gql('{ __type(name: "Job") { fields { name } } }') });
  add('mutation', { body: gql('mutation { deleteJob(id: "1") }') });
  add('subscription', { body: gql('subscription { jobs { edges { cursor } } }') });
  add('syntax error', { body: gql('{ jobs { edges { cursor }') });
  add('empty document', { body: gql('') });
  add('only a comment', { body: gql('# nothing') });
  add('two anonymous operations', { body: gql('{ __typename } { __typename }') });
  add('unknown operation name', {
    body: gql('query A { __typename }', undefined, { operationName: 'B' }),
  });
  add('missing operation name', { body: gql('query A { __typename } query B { __typename }') });
  add('operationName not a string', {
    body: gql('{ __typename }', undefined, { operationName: 5 }),
  });
  add('variables not an object', {
    body: JSON.stringify({ query: '{ __typename }', variables: 'x' }),
  });
  add('query not a string', { body: JSON.stringify({ query: 5 }) });
  add('query missing', { body: JSON.stringify({ variables: {} }) });
  add('extensions not an object', {
    body: JSON.stringify({ query: '{ __typename }', extensions: 'x' }),
  });
  add('undeclared variable', { body: gql('{ jobs(first: $n) { edges { cursor } } }') });
  add('variable of the wrong type', {
    body: gql('query($n: String) { jobs(first: $n) { edges { cursor } } }', { n: '5' }),
  });
  add('required variable missing', { body: gql('query($id: ID!) { node(id: $id) { id } }', {}) });
  add('enum as a string', {
    body: gql('query($s: [JobSource!]) { jobs(sources: $s) { edges { cursor } } }', { s: ['iot'] }),
  });
  add('persisted query hash only', {
    body: JSON.stringify({
      extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
    }),
  });

  // Bodies, content types, methods, paths.
  for (const body of [
    '',
    '{',
    'null',
    '[]',
    '"x"',
    '5',
    'true',
    '{"query":',
    '{"query":"{ __typename }"',
    '\u0000',
    'query { __typename }',
    '<xml/>',
  ]) {
    add(`body ${JSON.stringify(body).slice(0, 20)}`, { body });
  }
  add('2 MB body', { body: gql(`{ __typename } #${'x'.repeat(2_000_000)}`) });
  add('batched array, batching off', {
    body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
  });
  add('batch of 100', { body: JSON.stringify(Array(100).fill({ query: '{ __typename }' })) });
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'text/html',
    'application/graphql',
  ]) {
    add(`content type ${type}`, {
      headers: { 'content-type': type },
      body: gql('{ jobs { edges { cursor } } }'),
    });
  }
  add('no content type', { headers: {}, body: gql('{ jobs { edges { cursor } } }') });
  for (const accept of ['image/png', 'application/xml', 'text/csv']) {
    add(`accept ${accept}`, { headers: { ...json, accept }, body: gql('{ __typename }') });
  }
  add('invalid JSON quoting a secret-looking body', {
    body: '{"query":"{ __typename }", "password": hunter2-secret-value',
  });
  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    add(`method ${method}`, { method, body: gql('{ __typename }') });
  }
  add('GET without CSRF header', {
    method: 'GET',
    headers: {},
    path: `/graphql?query=${encodeURIComponent('{ jobs { edges { cursor } } }')}`,
  });
  add('GET mutation', {
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent('mutation { x }')}`,
    headers: { 'x-graphql-yoga-csrf': '1' },
  });
  add('GET bad variables', {
    method: 'GET',
    path: '/graphql?query=%7B__typename%7D&variables=%7B',
    headers: { 'x-graphql-yoga-csrf': '1' },
  });
  add('GET no query', {
    method: 'GET',
    path: '/graphql',
    headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
  });
  add('unknown path', { path: '/admin', body: gql('{ __typename }') });
  add('path traversal', { method: 'GET', headers: {}, path: '/../../etc/passwd' });
  add('subgraph entities of an unknown type', {
    path: '/subgraph',
    body: gql('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
      r: [{ __typename: 'Nope', id: 'x' }],
    }),
  });
  add('subgraph entities with a bad id', {
    path: '/subgraph',
    body: gql(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on IotJob { jobId } } }',
      { r: [{ __typename: 'IotJob', id: '%%%' }] },
    ),
  });
  add('subgraph has no node', { path: '/subgraph', body: gql('{ node(id: "x") { id } }') });
  add('subgraph entities past a page', {
    path: '/subgraph',
    body: gql('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
      r: Array.from({ length: 1300 }, (_, i) => ({
        __typename: 'IotJob',
        id: Buffer.from(`IotJob:job-${i}`).toString('base64url'),
      })),
    }),
  });
  add('pages past the upstream-call budget', {
    body: gql(
      `{ ${['COMPLETED', 'CANCELED', 'IN_PROGRESS'].map((s, i) => `p${i}: iotJobs(first: 100, filter: { status: ${s} }) { edges { node { details { comment } } } }`).join(' ')} }`,
    ),
  });
  return cases;
}

const generatedQueries = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.stringMatching(/^[{}()[\]:$!@.a-zA-Z0-9 ,"=\n]{0,200}$/),
  fc
    .array(
      fc.constantFrom(
        'jobs',
        'edges',
        'node',
        'cursor',
        'pageInfo',
        '{',
        '}',
        '(',
        ')',
        'first:',
        'after:',
        '5',
        '"x"',
        '...',
        'on',
        'IotJob',
        'details',
        '@skip(if: true)',
        '$x',
        'query',
        'fragment',
      ),
      { maxLength: 60 },
    )
    .map((tokens) => tokens.join(' ')),
);
// `after` is always present and never a cursor, so no generated case is a valid request.
const generatedVariables = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom('first', 'n', 'id', 'ids', 'f', 'sources'),
      fc.jsonValue({ maxDepth: 3 }),
      { maxKeys: 3 },
    ),
    fc.string({ maxLength: 100 }),
  )
  .map(([rest, after]) => ({ ...rest, after }));
const generated: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.record({ q: generatedQueries }).map(({ q }) => ({ name: 'random query', body: gql(q) })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ name: 'random JSON body', body: JSON.stringify(v) })),
  fc.string({ maxLength: 500 }).map((s) => ({ name: 'random body', body: s })),
  fc.string({ maxLength: 300 }).map((after) => ({
    name: 'random cursor',
    body: gql('query($a: String) { jobs(first: 3, after: $a) { edges { cursor } } }', { a: after }),
  })),
  fc
    .oneof(
      fc.integer().filter((n) => n < 1 || n > 100),
      fc.double().filter((n) => !Number.isInteger(n)),
      fc.jsonValue().filter((v) => typeof v !== 'number' && v !== null),
    )
    .map((n) => ({
      name: 'random first',
      body: gql('query($n: Int) { iotJobs(first: $n) { edges { cursor } } }', { n }),
    })),
  generatedVariables.map((variables) => ({
    name: 'random variables',
    body: gql(
      'query($first: Int, $after: String, $sources: [JobSource!]) { jobs(first: $first, after: $after, sources: $sources) { edges { cursor } } }',
      variables,
    ),
  })),
  fc.string({ maxLength: 200 }).map((id) => ({
    name: 'random id',
    body: gql('query($id: ID!) { node(id: $id) { id } }', { id }),
  })),
  fc.integer({ min: 11, max: 80 }).map((depth) => ({
    name: `generated depth ${depth}`,
    body: gql(`{ jobs { ${'edges { node { a '.repeat(depth)}${'} } '.repeat(depth)}} }`),
  })),
  fc.integer({ min: 16, max: 400 }).map((n) => ({
    name: `${n} aliases`,
    body: gql(
      `{ ${Array.from({ length: n }, (_, i) => `x${i}: jobs(first: 1) { edges { cursor } }`).join(' ')} }`,
    ),
  })),
);

/** Node's HTTP parser, or the JSON parser, speaking for itself. */
const PARSER_TEXT =
  /HPE_|Parse Error|Unexpected token|is not valid JSON|JSON at position|originalError/i;

function codedJson(text: string): boolean {
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    return (
      !!body.errors?.length && body.errors.every((e) => typeof e.extensions?.code === 'string')
    );
  } catch {
    return false;
  }
}

/**
 * Requests no HTTP library would send, written to a socket: broken request lines, headers and
 * framing. Each must get a coded JSON answer (Node's parser would answer a bare 400).
 */
function rawCases(): { name: string; bytes: string }[] {
  const cases: { name: string; bytes: string }[] = [
    { name: 'garbage', bytes: 'GARBAGE\r\n\r\n' },
    { name: 'unknown method', bytes: 'BREW /graphql HTTP/1.1\r\nHost: x\r\n\r\n' },
    { name: 'bad version', bytes: 'GET /graphql HTTP/7.0\r\nHost: x\r\n\r\n' },
    { name: 'space in header name', bytes: 'GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n' },
    { name: 'header without colon', bytes: 'GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n' },
    {
      name: 'control character in a value',
      bytes: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n',
    },
    {
      name: 'length and chunked',
      bytes:
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    },
    {
      name: 'two lengths',
      bytes:
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    },
    {
      name: 'negative length',
      bytes: 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    },
    {
      name: 'bad chunk size',
      bytes:
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\nzz\r\nabc\r\n',
    },
    {
      name: 'huge header',
      bytes: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    },
    { name: 'bare LF lines', bytes: 'GET / HTTP/1.1\nHost: x\n\n' },
  ];
  const token = fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 });
  const generated = fc.sample(
    fc.oneof(
      token.map((line) => `${line}\r\n\r\n`),
      fc
        .tuple(token, token)
        .map(([name, value]) => `GET /graphql HTTP/1.1\r\nHost: x\r\n${name}: ${value}\r\n\r\n`),
      fc
        .tuple(fc.constantFrom('GET', 'POST', 'PUT'), token)
        .map(([method, target]) => `${method} ${target} HTTP/1.1\r\nHost: x\r\n\r\n`),
    ),
    { numRuns: 40, seed: 1212 },
  );
  for (const [i, bytes] of generated.entries()) cases.push({ name: `random raw #${i}`, bytes });
  return cases;
}

function sendRaw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes, 'latin1'));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

describe('bad-input corpus', () => {
  let stack: Stack;
  const logs = captureLogs('debug');
  let corpus: BadRequest[];
  beforeAll(async () => {
    stack = await startStack({
      logger: logs.logger,
      sessionToken: SECRETS.sessionToken,
      config: { introspection: false },
    });
    const first = await stack.query('{ jobs(first: 2) { pageInfo { endCursor } } }');
    const cursor = (first.body.data as { jobs: { pageInfo: { endCursor: string } } }).jobs.pageInfo
      .endCursor;
    const hand = handWritten(cursor);
    const random = fc.sample(generated, { numRuns: Math.max(hand.length, 160), seed: 20261122 });
    corpus = [...hand, ...random];
    console.info(
      `bad-input corpus: ${hand.length} hand-written + ${random.length} generated cases`,
    );
    stack.resetCounters();
  });
  afterAll(() => stack.close());

  it('has at least 300 cases, half of them generated', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(
      corpus.filter(
        (c) =>
          c.name.startsWith('random') ||
          c.name.startsWith('generated') ||
          c.name.endsWith('aliases'),
      ).length,
    ).toBeGreaterThanOrEqual(corpus.length / 2 - 5);
  });

  it('answers every case with a 4xx or a coded error, no 5xx, no leak, no upstream call', async () => {
    const problems: string[] = [];
    const origin = new URL(stack.url).origin;
    for (const request of corpus) {
      const before = stack.calls();
      const response = await fetch(origin + (request.path ?? '/graphql'), {
        method: request.method ?? 'POST',
        headers: request.headers ?? json,
        body: request.method === 'GET' ? undefined : request.body,
      });
      const text = await response.text();
      const label = `${request.name} -> ${response.status}`;
      const after = stack.calls();
      if (after.iot !== before.iot || after.importExport !== before.importExport) {
        problems.push(`${label}: upstream called (${request.body?.slice(0, 120)})`);
      }
      if (response.status >= 500) problems.push(`${label}: server error`);
      if (/\bat \S+ \(|node_modules|\.ts:\d+|stack/i.test(text))
        problems.push(`${label}: stack trace`);
      if (/Did you mean/i.test(text)) problems.push(`${label}: suggestion`);
      if (PARSER_TEXT.test(text)) problems.push(`${label}: parser message`);
      for (const secret of Object.values(SECRETS)) {
        if (text.includes(secret)) problems.push(`${label}: secret`);
      }
      if (response.status === 200) {
        let body: { errors?: { extensions?: { code?: unknown } }[] } | { errors?: unknown }[];
        try {
          body = JSON.parse(text);
        } catch {
          problems.push(`${label}: 200 without JSON`);
          continue;
        }
        const results = Array.isArray(body) ? body : [body];
        for (const result of results as { errors?: { extensions?: { code?: unknown } }[] }[]) {
          if (!result.errors?.length) problems.push(`${label}: 200 without an error`);
          for (const error of result.errors ?? []) {
            if (typeof error.extensions?.code !== 'string')
              problems.push(`${label}: error without a code`);
          }
        }
      } else if (response.status < 400) {
        problems.push(`${label}: unexpected status`);
      } else if (!codedJson(text)) {
        problems.push(`${label}: error without a coded JSON body`);
      }
    }
    expect(problems).toEqual([]);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  }, 120_000);

  it('answers requests Node cannot parse with coded JSON, never its parser text', async () => {
    const problems: string[] = [];
    const cases = rawCases();
    console.info(`bad-input corpus: ${cases.length} raw HTTP cases`);
    for (const { name, bytes } of cases) {
      const answer = await sendRaw(stack.url, bytes);
      const status = Number(answer.slice(9, 12));
      const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      if (!answer.startsWith('HTTP/1.1 ')) {
        problems.push(`${name}: no answer`);
        continue;
      }
      if (status >= 500) problems.push(`${name} -> ${status}: server error`);
      if (PARSER_TEXT.test(answer)) problems.push(`${name} -> ${status}: parser message`);
      if (status >= 400 && !codedJson(body)) problems.push(`${name} -> ${status}: not coded JSON`);
    }
    expect(problems).toEqual([]);
    expect(stack.calls()).toEqual({ iot: 0, importExport: 0 });
  });

  it('writes no credential to the logs', () => {
    const text = logs.text();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/authorization|x-amz-security-token|AWS4-HMAC-SHA256|Signature=/i);
  });
});
