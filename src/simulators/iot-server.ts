import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  IOT_JOB_STATUSES,
  IOT_TARGET_SELECTIONS,
  type IotJobStatus,
  type IotTargetSelection,
} from '../upstreams/types.js';
import { createRandom, type Dataset, type SimIotJob, type SimThingGroup } from './dataset.js';
import { FaultController, type FaultDecision, RequestCounters } from './faults.js';
import { listen, sleep } from './http.js';
import { createSigV4Verifier, type SigV4Verifier } from './sigv4-verifier.js';

/**
 * A simulated AWS IoT control plane (ListJobs, DescribeJob, DescribeThingGroup) speaking restJson1
 * the way the service does, including its traps: ThrottlingException is a 400, timestamps are
 * epoch-second numbers with fractions, the nextToken is opaque and holds characters (`+ / =`) that a
 * client must percent-encode both on the wire and in its signature.
 */

export type IotListingOrder = 'newest-first' | 'shuffled';

export interface IotSimulatorOptions {
  readonly dataset: Dataset;
  /** The only key pair accepted. */
  /** The only key pair accepted; with a session token, only requests that carry that token. */
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string | undefined;
  };
  /** The region requests must be signed for. @default us-east-1 */
  readonly region?: string;
  /** Listing order; `shuffled` is a fixed seeded permutation. @default newest-first */
  readonly order?: IotListingOrder;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

export interface IotSimulatorQuirks {
  /** Every fresh page position is first answered with `jobs: []` and a token to the real page. */
  emptyPages: boolean;
  /** A request that carries a nextToken gets the same token back. */
  repeatToken: boolean;
}

export interface IotSimulator {
  readonly url: string;
  readonly port: number;
  readonly faults: FaultController;
  readonly counters: RequestCounters;
  readonly quirks: IotSimulatorQuirks;
  close(): Promise<void>;
}

/** maxResults when the request has none. The real default is undocumented. */
export const IOT_DEFAULT_PAGE_SIZE = 50;
export const IOT_MAX_PAGE_SIZE = 250;

const SHUFFLE_SEED = 0x10d0b5;
const TOKEN_VERSION = 1;
const TOKEN_BYTES = 32;
const TOKEN_MAC_BYTES = 18;
const TOKEN_BODY_BYTES = TOKEN_BYTES - TOKEN_MAC_BYTES;
// Standard base64 with padding, on purpose: 32 bytes always end in `=` and usually hold `+` or `/`.
const TOKEN_SHAPE = /^[A-Za-z0-9+/]{43}=$/;
const FLAG_EMPTY_SERVED = 1;

const STATUS_SET: ReadonlySet<string> = new Set(IOT_JOB_STATUSES);
const TARGET_SELECTION_SET: ReadonlySet<string> = new Set(IOT_TARGET_SELECTIONS);
const THING_GROUP_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const THING_GROUP_ID = /^[a-zA-Z0-9-]{1,128}$/;
const NAMESPACE_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const JOB_ID = /^[a-zA-Z0-9_-]{1,64}$/;

type Operation = 'ListJobs' | 'DescribeJob' | 'DescribeThingGroup';

interface ListFilter {
  readonly status: IotJobStatus | undefined;
  readonly targetSelection: IotTargetSelection | undefined;
  readonly thingGroupName: string | undefined;
  readonly thingGroupId: string | undefined;
  readonly namespaceId: string | undefined;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly errorType?: string;
}

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

function invalid(message: string): RequestError {
  return new RequestError(400, 'InvalidRequestException', message);
}

const seconds = (date: Date): number => date.getTime() / 1000;

function summaryJson(job: SimIotJob): string {
  return JSON.stringify({
    jobArn: job.jobArn,
    jobId: job.jobId,
    ...(job.thingGroup ? { thingGroupId: job.thingGroup.id } : {}),
    targetSelection: job.targetSelection,
    status: job.status,
    createdAt: seconds(job.createdAt),
    lastUpdatedAt: seconds(job.lastUpdatedAt),
    ...(job.completedAt ? { completedAt: seconds(job.completedAt) } : {}),
    isConcurrent: job.isConcurrent,
  });
}

function describeJobJson(job: SimIotJob): string {
  const p = job.processDetails;
  return JSON.stringify({
    documentSource: job.documentSource,
    job: {
      jobArn: job.jobArn,
      jobId: job.jobId,
      targetSelection: job.targetSelection,
      status: job.status,
      ...(job.forceCanceled !== null ? { forceCanceled: job.forceCanceled } : {}),
      ...(job.reasonCode !== null ? { reasonCode: job.reasonCode } : {}),
      ...(job.comment !== null ? { comment: job.comment } : {}),
      targets: job.targets,
      description: job.description,
      createdAt: seconds(job.createdAt),
      lastUpdatedAt: seconds(job.lastUpdatedAt),
      ...(job.completedAt ? { completedAt: seconds(job.completedAt) } : {}),
      jobProcessDetails: {
        processingTargets: p.processingTargets,
        numberOfCanceledThings: p.numberOfCanceledThings,
        numberOfSucceededThings: p.numberOfSucceededThings,
        numberOfFailedThings: p.numberOfFailedThings,
        numberOfRejectedThings: p.numberOfRejectedThings,
        numberOfQueuedThings: p.numberOfQueuedThings,
        numberOfInProgressThings: p.numberOfInProgressThings,
        numberOfRemovedThings: p.numberOfRemovedThings,
        numberOfTimedOutThings: p.numberOfTimedOutThings,
      },
      ...(job.namespaceId !== null ? { namespaceId: job.namespaceId } : {}),
      ...(job.jobTemplateArn !== null ? { jobTemplateArn: job.jobTemplateArn } : {}),
      isConcurrent: job.isConcurrent,
    },
  });
}

function thingGroupJson(group: SimThingGroup): string {
  return JSON.stringify({
    thingGroupName: group.name,
    thingGroupId: group.id,
    thingGroupArn: group.arn,
    version: 1,
    thingGroupProperties: { thingGroupDescription: `Devices in ${group.name}` },
    thingGroupMetadata: { creationDate: seconds(group.createdAt) },
  });
}

/** The listing order: the dataset's own (newest first) or one fixed permutation of it. */
function listingOf(dataset: Dataset, order: IotListingOrder): readonly SimIotJob[] {
  if (order === 'newest-first') return dataset.iotJobs;
  const jobs = dataset.iotJobs.slice();
  const random = createRandom(SHUFFLE_SEED);
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = jobs[i] as SimIotJob;
    jobs[i] = jobs[j] as SimIotJob;
    jobs[j] = swap;
  }
  return jobs;
}

function matches(job: SimIotJob, f: ListFilter): boolean {
  return (
    (f.status === undefined || job.status === f.status) &&
    (f.targetSelection === undefined || job.targetSelection === f.targetSelection) &&
    (f.thingGroupName === undefined || job.thingGroup?.name === f.thingGroupName) &&
    (f.thingGroupId === undefined || job.thingGroup?.id === f.thingGroupId) &&
    (f.namespaceId === undefined || job.namespaceId === f.namespaceId)
  );
}

/** Query parameters, decoded the RFC 3986 way: `+` is a plus, not a space. First value wins. */
function parseQuery(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  if (rawQuery === '') return params;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1));
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}

function enumParam<T extends string>(
  params: Map<string, string>,
  name: string,
  allowed: ReadonlySet<string>,
): T | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (!allowed.has(value)) {
    throw invalid(`Value '${value}' at '${name}' failed to satisfy constraint: enum value.`);
  }
  return value as T;
}

function patternParam(
  params: Map<string, string>,
  name: string,
  pattern: RegExp,
): string | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (!pattern.test(value)) {
    throw invalid(`Value at '${name}' failed to satisfy constraint: pattern ${pattern.source}.`);
  }
  return value;
}

function filterKey(f: ListFilter): string {
  return [f.status, f.targetSelection, f.thingGroupName, f.thingGroupId, f.namespaceId]
    .map((v) => v ?? '')
    .join('\u0000');
}

/**
 * Page tokens: a position in the listing (the index of the page's first job), bound to the filter
 * they were issued for and signed, so a forged, garbled or foreign-filter token is refused. The key
 * is derived from the data and order, not random, so tokens survive a simulator restart as real
 * ones survive a service deploy.
 */
function createTokenCodec(listing: readonly SimIotJob[], order: IotListingOrder) {
  const key = createHash('sha256')
    .update(`iot-simulator-token|${order}|${listing.length}|${listing[0]?.jobId ?? ''}`)
    .digest();
  const checksum = (f: ListFilter) => createHash('sha256').update(filterKey(f)).digest();

  return {
    encode(position: number, f: ListFilter, flags: number): string {
      const token = Buffer.alloc(TOKEN_BYTES);
      token[0] = TOKEN_VERSION;
      token[1] = flags;
      token.writeUInt32BE(position, 2);
      checksum(f).copy(token, 6, 0, 8);
      createHmac('sha256', key)
        .update(token.subarray(0, TOKEN_BODY_BYTES))
        .digest()
        .copy(token, TOKEN_BODY_BYTES, 0, TOKEN_MAC_BYTES);
      return token.toString('base64');
    },
    decode(text: string, f: ListFilter): { position: number; flags: number } {
      if (!TOKEN_SHAPE.test(text)) throw invalid('Invalid pagination token.');
      const token = Buffer.from(text, 'base64');
      const mac = createHmac('sha256', key)
        .update(token.subarray(0, TOKEN_BODY_BYTES))
        .digest()
        .subarray(0, TOKEN_MAC_BYTES);
      if (
        token.length !== TOKEN_BYTES ||
        token[0] !== TOKEN_VERSION ||
        !timingSafeEqual(mac, token.subarray(TOKEN_BODY_BYTES))
      ) {
        throw invalid('Invalid pagination token.');
      }
      if (!checksum(f).subarray(0, 8).equals(token.subarray(6, 14))) {
        throw invalid('The pagination token does not match the request parameters.');
      }
      const position = token.readUInt32BE(2);
      if (position >= listing.length) throw invalid('Invalid pagination token.');
      return { position, flags: token[1] as number };
    },
  };
}

export async function createIotSimulator(options: IotSimulatorOptions): Promise<IotSimulator> {
  const region = options.region ?? 'us-east-1';
  const order = options.order ?? 'newest-first';
  const listing = listingOf(options.dataset, order);
  // Serialised once: the simulator shares a process with the gateway in benchmarks, and its
  // per-request cost should be the gateway's, not JSON.stringify of the same jobs over and over.
  const summaries = listing.map(summaryJson);
  const details = new Map(options.dataset.iotJobs.map((job) => [job.jobId, describeJobJson(job)]));
  const groups = new Map(options.dataset.thingGroups.map((g) => [g.name, thingGroupJson(g)]));
  const tokens = createTokenCodec(listing, order);
  const faults = new FaultController();
  const counters = new RequestCounters();
  const quirks: IotSimulatorQuirks = { emptyPages: false, repeatToken: false };
  const { accessKeyId, secretAccessKey } = options.credentials;
  const verify: SigV4Verifier = createSigV4Verifier({
    region,
    // botocore before mid-2023 signs IoT as `execute-api`; current SDKs use `iot`.
    services: ['iot', 'execute-api'],
    secretFor: (id) => (id === accessKeyId ? secretAccessKey : undefined),
  });

  function listJobs(params: Map<string, string>): Answer {
    const rawMax = params.get('maxResults');
    let maxResults = IOT_DEFAULT_PAGE_SIZE;
    if (rawMax !== undefined) {
      maxResults = /^\d{1,4}$/.test(rawMax) ? Number(rawMax) : Number.NaN;
      if (!(maxResults >= 1 && maxResults <= IOT_MAX_PAGE_SIZE)) {
        throw invalid(
          `Value '${rawMax}' at 'maxResults' failed to satisfy constraint: Member must be an integer from 1 to ${IOT_MAX_PAGE_SIZE}.`,
        );
      }
    }
    const filter: ListFilter = {
      status: enumParam<IotJobStatus>(params, 'status', STATUS_SET),
      targetSelection: enumParam<IotTargetSelection>(
        params,
        'targetSelection',
        TARGET_SELECTION_SET,
      ),
      thingGroupName: patternParam(params, 'thingGroupName', THING_GROUP_NAME),
      thingGroupId: patternParam(params, 'thingGroupId', THING_GROUP_ID),
      namespaceId: patternParam(params, 'namespaceId', NAMESPACE_ID),
    };
    const given = params.get('nextToken');
    let start = 0;
    let flags = 0;
    if (given !== undefined) ({ position: start, flags } = tokens.decode(given, filter));

    if (quirks.emptyPages && (flags & FLAG_EMPTY_SERVED) === 0) {
      const first = listing.findIndex((job, i) => i >= start && matches(job, filter));
      if (first !== -1) {
        const next = tokens.encode(first, filter, FLAG_EMPTY_SERVED);
        return { status: 200, body: `{"jobs":[],"nextToken":${JSON.stringify(next)}}` };
      }
    }

    let body = '{"jobs":[';
    let taken = 0;
    let next = -1;
    for (let i = start; i < listing.length; i++) {
      if (!matches(listing[i] as SimIotJob, filter)) continue;
      if (taken === maxResults) {
        next = i;
        break;
      }
      body += taken === 0 ? summaries[i] : `,${summaries[i]}`;
      taken++;
    }
    body += ']';
    const nextToken =
      quirks.repeatToken && given !== undefined
        ? given
        : next === -1
          ? undefined
          : tokens.encode(next, filter, 0);
    // The last page has no nextToken key at all, as the service answers.
    if (nextToken !== undefined) body += `,"nextToken":${JSON.stringify(nextToken)}`;
    return { status: 200, body: `${body}}` };
  }

  function describeJob(jobId: string): Answer {
    if (!JOB_ID.test(jobId)) throw invalid("Value at 'jobId' failed to satisfy constraint.");
    const body = details.get(jobId);
    if (body === undefined) {
      throw new RequestError(404, 'ResourceNotFoundException', `Job ${jobId} does not exist.`);
    }
    return { status: 200, body };
  }

  function describeThingGroup(name: string): Answer {
    if (!THING_GROUP_NAME.test(name)) {
      throw invalid("Value at 'thingGroupName' failed to satisfy constraint.");
    }
    const body = groups.get(name);
    if (body === undefined) {
      throw new RequestError(
        404,
        'ResourceNotFoundException',
        `Thing group ${name} does not exist.`,
      );
    }
    return { status: 200, body };
  }

  function send(response: ServerResponse, answer: Answer, decision: FaultDecision): void {
    const headers: OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': randomUUID(),
    };
    let body = answer.body;
    if (answer.errorType !== undefined) {
      // The restJson1 error form with a namespace suffix: SDKs keep only the part before `:`.
      headers['x-amzn-ErrorType'] =
        `${answer.errorType}:http://internal.amazon.com/coral/com.amazonaws.iot/`;
    } else if (decision === 'malformed') {
      body = body.slice(0, Math.max(1, body.length >> 1));
    }
    headers['Content-Length'] = Buffer.byteLength(body);
    response.writeHead(answer.status, headers);
    response.end(body);
  }

  function errorAnswer(status: number, errorType: string, message: string): Answer {
    return { status, errorType, body: JSON.stringify({ message }) };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);

    let operation: Operation | undefined;
    let label = '';
    if (request.method === 'GET') {
      if (rawPath === '/jobs') operation = 'ListJobs';
      else if (rawPath.startsWith('/jobs/') && rawPath.indexOf('/', 6) === -1) {
        operation = 'DescribeJob';
        label = rawPath.slice(6);
      } else if (rawPath.startsWith('/thing-groups/') && rawPath.indexOf('/', 14) === -1) {
        operation = 'DescribeThingGroup';
        label = rawPath.slice(14);
      }
    }
    if (operation) counters.operation(operation);

    const auth = verify({
      method: request.method ?? 'GET',
      rawPath,
      rawQuery,
      headers: request.headers,
    });
    if (!auth.ok) {
      counters.authFailed();
      send(response, errorAnswer(auth.status, auth.code, auth.message), 'ok');
      return;
    }
    // Temporary credentials are only valid together with their token.
    const token = request.headers['x-amz-security-token'];
    if ((typeof token === 'string' ? token : '') !== (options.credentials.sessionToken ?? '')) {
      counters.authFailed();
      send(
        response,
        errorAnswer(
          403,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        ),
        'ok',
      );
      return;
    }

    const decision = faults.decide(operation);
    const { latencyMs } = faults.current;
    if (latencyMs > 0) await sleep(latencyMs);
    // A hung upstream: accept, never answer. The socket stays open until the client gives up,
    // which the counters record as an abandoned request.
    if (decision === 'hang') return;
    if (decision === 'error') {
      send(
        response,
        errorAnswer(503, 'ServiceUnavailableException', 'Service Unavailable'),
        decision,
      );
      return;
    }
    if (decision === 'throttle') {
      send(response, errorAnswer(400, 'ThrottlingException', 'Rate exceeded'), decision);
      return;
    }

    let answer: Answer;
    try {
      if (operation === 'ListJobs') answer = listJobs(parseQuery(rawQuery));
      else if (operation === 'DescribeJob') answer = describeJob(decodeURIComponent(label));
      else if (operation === 'DescribeThingGroup') {
        answer = describeThingGroup(decodeURIComponent(label));
      } else {
        answer = errorAnswer(404, 'UnknownOperationException', 'Unknown operation');
      }
    } catch (error) {
      if (error instanceof RequestError) {
        answer = errorAnswer(error.status, error.errorType, error.message);
      } else if (error instanceof URIError) {
        answer = errorAnswer(
          400,
          'InvalidRequestException',
          'The request URI is not well encoded.',
        );
      } else {
        throw error;
      }
    }
    send(response, answer, decision);
  }

  const running = await listen(handle, counters, {
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  return {
    url: running.url,
    port: running.port,
    faults,
    counters,
    quirks,
    close: () => running.close(),
  };
}
