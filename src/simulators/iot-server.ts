import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  IOT_JOB_STATUSES,
  IOT_TARGET_SELECTIONS,
  type IotJobStatus,
  type IotTargetSelection,
} from '../upstreams/types.js';
import type { Dataset, SimThingGroup } from './dataset.js';
import { FaultController, type FaultDecision, RequestCounters } from './faults.js';
import { listen, readBody, sleep } from './http.js';
import {
  IOT_JOB_ID,
  type IotListingOrder,
  type IotLiveControl,
  IotJobStore,
  type LiveIotJob,
} from './iot-jobs.js';
import { createTokenCodec, TokenError, type TokenPosition } from './iot-token.js';
import { type Entry, LiveChangeError, sameKey } from './live-jobs.js';
import { createSigV4Verifier, type SigV4Verifier, sha256Hex } from './sigv4-verifier.js';

/**
 * A simulated AWS IoT control plane (ListJobs, DescribeJob, DescribeThingGroup, and CreateJob,
 * CancelJob, DeleteJob to change the data) speaking restJson1 the way the service does, including
 * its traps: ThrottlingException is a 400, timestamps are epoch-second numbers with fractions, the
 * nextToken is opaque and holds characters (`+ / =`) that a client must percent-encode both on the
 * wire and in its signature.
 *
 * The job list can change while clients page through it (`live`, or the write operations), and
 * page tokens behave as a real service's do: a token continues after the key of the last job of
 * its page, so creations and deletions before it do not shift it, and it can be made to expire or
 * be refused (`tokenTtlMs`, `refuseTokensOfDeletedJobs`, `refuseNextTokens`).
 */

export type {
  IotCancelOptions,
  IotListingOrder,
  IotLiveControl,
  LiveIotJob,
  NewIotJob,
} from './iot-jobs.js';

export interface IotSimulatorOptions {
  readonly dataset: Dataset;
  /** The only key pair accepted; with a session token, only requests that carry that token. */
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string | undefined;
  };
  /** The region requests must be signed for, and the region of created jobs' ARNs. @default us-east-1 */
  readonly region?: string;
  /** The account of created jobs' ARNs. @default 123456789012 */
  readonly accountId?: string;
  /**
   * Listing order. `shuffled` gives every job a random rank (from a fixed seed) as it enters the
   * data and lists by rank: jobs created later land anywhere, as in an upstream of unknown order.
   * @default newest-first
   */
  readonly order?: IotListingOrder;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /**
   * The clock of token issue times, token expiry, signatures and created or canceled jobs, in
   * epoch milliseconds. @default Date.now
   */
  readonly now?: () => number;
  /** Initial value of {@link IotSimulator.tokenTtlMs}. @default undefined (tokens never expire) */
  readonly tokenTtlMs?: number;
  /** Initial value of {@link IotSimulator.refuseTokensOfDeletedJobs}. @default false */
  readonly refuseTokensOfDeletedJobs?: boolean;
}

export interface IotSimulatorQuirks {
  /** Every fresh page position is first answered with `jobs: []` and a token to the real page. */
  emptyPages: boolean;
  /** A request that carries a nextToken gets the same token back. */
  repeatToken: boolean;
}

export interface IotSimulator {
  /** e.g. `http://127.0.0.1:4101`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The region this simulator verifies signatures for and puts in its ARNs. */
  readonly region: string;
  readonly faults: FaultController;
  /** Requests by operation (`ListJobs`, `CreateJob`, ...) and `listed`, the job summaries served. */
  readonly counters: RequestCounters;
  readonly quirks: IotSimulatorQuirks;
  /** Changes the job list between requests. */
  readonly live: IotLiveControl;
  /**
   * A token issued more than this many milliseconds ago is refused with InvalidRequestException
   * "The pagination token has expired.". `undefined` turns expiry off. Settable at any time.
   * @default undefined
   */
  tokenTtlMs: number | undefined;
  /**
   * Refuse (InvalidRequestException) a token whose key job, the last job of the page that issued
   * it, has been deleted since: the service's continuation record vanished with the job. When
   * false such a token continues after the deleted job's place. Settable at any time.
   * @default false
   */
  refuseTokensOfDeletedJobs: boolean;
  /**
   * Refuses the next `count` ListJobs requests that carry a nextToken (InvalidRequestException),
   * whatever the token. Counted are requests that reach ListJobs (signed, not hit by an injected
   * fault) with a token; a request without one is not. Sets the count, it does not add
   * to it: `refuseNextTokens(0)` cancels pending refusals.
   */
  refuseNextTokens(count: number): void;
  close(): Promise<void>;
}

/** maxResults when the request has none. The real default is undocumented. */
export const IOT_DEFAULT_PAGE_SIZE = 50;
export const IOT_MAX_PAGE_SIZE = 250;

const STATUS_SET: ReadonlySet<string> = new Set(IOT_JOB_STATUSES);
const TARGET_SELECTION_SET: ReadonlySet<string> = new Set(IOT_TARGET_SELECTIONS);
const THING_GROUP_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const THING_GROUP_ID = /^[a-zA-Z0-9-]{1,128}$/;
const NAMESPACE_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const REASON_CODE = /^[\p{Lu}\p{Nd}_]{1,128}$/u;
const MAX_DESCRIPTION = 2028;
const MAX_BODY_BYTES = 64 * 1024;
/** Statuses a job can no longer leave; DeleteJob needs `force` for any other. */
const TERMINAL: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELED']);

type Operation =
  'ListJobs' | 'DescribeJob' | 'DescribeThingGroup' | 'CreateJob' | 'CancelJob' | 'DeleteJob';

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
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function invalid(message: string): RequestError {
  return new RequestError(400, 'InvalidRequestException', message);
}

function notFound(jobId: string): RequestError {
  return new RequestError(404, 'ResourceNotFoundException', `Job ${jobId} does not exist.`);
}

const seconds = (date: Date): number => date.getTime() / 1000;

function summaryJson(job: LiveIotJob): string {
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

function describeJobJson(job: LiveIotJob): string {
  const p = job.processDetails;
  return JSON.stringify({
    ...(job.documentSource !== '' ? { documentSource: job.documentSource } : {}),
    job: {
      jobArn: job.jobArn,
      jobId: job.jobId,
      targetSelection: job.targetSelection,
      status: job.status,
      ...(job.forceCanceled !== null ? { forceCanceled: job.forceCanceled } : {}),
      ...(job.reasonCode !== null ? { reasonCode: job.reasonCode } : {}),
      ...(job.comment !== null ? { comment: job.comment } : {}),
      targets: job.targets,
      ...(job.description !== '' ? { description: job.description } : {}),
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

function matches(job: LiveIotJob, f: ListFilter): boolean {
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

/** A JSON request body as an object; an empty body is an empty object. */
function jsonBody(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function optionalString(
  body: Record<string, unknown>,
  name: string,
  valid: (value: string) => boolean = () => true,
): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !valid(value)) {
    throw invalid(`Value at '${name}' failed to satisfy constraint.`);
  }
  return value;
}

function forceParam(params: Map<string, string>): boolean {
  const value = params.get('force');
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') {
    throw invalid(
      `Value '${value}' at 'force' failed to satisfy constraint: Member must be a boolean.`,
    );
  }
  return value === 'true';
}

export async function createIotSimulator(options: IotSimulatorOptions): Promise<IotSimulator> {
  const region = options.region ?? 'us-east-1';
  const order = options.order ?? 'newest-first';
  const now = options.now ?? Date.now;
  const store = new IotJobStore({
    dataset: options.dataset,
    order,
    region,
    accountId: options.accountId ?? '123456789012',
    now,
  });
  const { listing } = store;
  // Thing groups never change in place, so their answer is serialised once per group object.
  const groupJson = new WeakMap<SimThingGroup, string>();
  const tokens = createTokenCodec(`${order}|${region}`);
  const faults = new FaultController();
  const counters = new RequestCounters();
  const quirks: IotSimulatorQuirks = { emptyPages: false, repeatToken: false };
  const rules = {
    tokenTtlMs: options.tokenTtlMs,
    refuseTokensOfDeletedJobs: options.refuseTokensOfDeletedJobs ?? false,
    refusals: 0,
  };
  const { accessKeyId, secretAccessKey } = options.credentials;
  const verify: SigV4Verifier = createSigV4Verifier({
    region,
    // botocore before mid-2023 signs IoT as `execute-api`; current SDKs use `iot`.
    services: ['iot', 'execute-api'],
    secretFor: (id) => (id === accessKeyId ? secretAccessKey : undefined),
    now,
  });

  /** The position a request's token stands for, after every refusal rule has had its say. */
  function positionOf(text: string, filter: string): TokenPosition {
    if (rules.refusals > 0) {
      rules.refusals--;
      throw invalid('The pagination token is no longer valid.');
    }
    let position: TokenPosition;
    try {
      position = tokens.decode(text, filter);
    } catch (error) {
      if (error instanceof TokenError) throw invalid(error.message);
      throw error;
    }
    if (rules.tokenTtlMs !== undefined && now() - position.issuedAt > rules.tokenTtlMs) {
      throw invalid('The pagination token has expired.');
    }
    const after = position.after;
    if (rules.refuseTokensOfDeletedJobs && after !== undefined) {
      const entry = listing.get(after.jobId);
      if (entry === undefined || !sameKey(entry.key, after)) {
        throw invalid('The pagination token is no longer valid.');
      }
    }
    return position;
  }

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
    const key = filterKey(filter);
    const given = params.get('nextToken');
    const position: TokenPosition =
      given === undefined
        ? { after: undefined, emptyServed: false, issuedAt: 0 }
        : positionOf(given, key);
    // The first job after the token's key: a binary search, wherever the list changed since.
    const start = listing.indexAfter(position.after);

    if (quirks.emptyPages && !position.emptyServed) {
      for (let i = start; i < listing.size; i++) {
        if (!matches((listing.at(i) as Entry<LiveIotJob>).job, filter)) continue;
        const next = tokens.encode({ ...position, emptyServed: true, issuedAt: now() }, key);
        return { status: 200, body: `{"jobs":[],"nextToken":${JSON.stringify(next)}}` };
      }
    }

    let body = '{"jobs":[';
    let taken = 0;
    let last: Entry<LiveIotJob> | undefined;
    let more = false;
    for (let i = start; i < listing.size; i++) {
      const entry = listing.at(i) as Entry<LiveIotJob>;
      if (!matches(entry.job, filter)) continue;
      if (taken === maxResults) {
        more = true;
        break;
      }
      // Serialised once per version of a job: the simulator shares a process with the gateway in
      // benchmarks, and its per-request cost should be the gateway's, not JSON.stringify's.
      entry.wire ??= summaryJson(entry.job);
      body += taken === 0 ? entry.wire : `,${entry.wire}`;
      taken++;
      last = entry;
    }
    body += ']';
    counters.listed(taken);
    const nextToken =
      quirks.repeatToken && given !== undefined
        ? given
        : more && last !== undefined
          ? tokens.encode({ after: last.key, emptyServed: false, issuedAt: now() }, key)
          : undefined;
    // The last page has no nextToken key at all, as the service answers.
    if (nextToken !== undefined) body += `,"nextToken":${JSON.stringify(nextToken)}`;
    return { status: 200, body: `${body}}` };
  }

  function existing(jobId: string): Entry<LiveIotJob> {
    if (!IOT_JOB_ID.test(jobId)) throw invalid("Value at 'jobId' failed to satisfy constraint.");
    const entry = listing.get(jobId);
    if (entry === undefined) throw notFound(jobId);
    return entry;
  }

  function describeJob(jobId: string): Answer {
    const entry = existing(jobId);
    entry.detail ??= describeJobJson(entry.job);
    return { status: 200, body: entry.detail };
  }

  function describeThingGroup(name: string): Answer {
    if (!THING_GROUP_NAME.test(name)) {
      throw invalid("Value at 'thingGroupName' failed to satisfy constraint.");
    }
    const group = store.thingGroup(name);
    if (group === undefined) {
      throw new RequestError(
        404,
        'ResourceNotFoundException',
        `Thing group ${name} does not exist.`,
      );
    }
    let body = groupJson.get(group);
    if (body === undefined) {
      body = thingGroupJson(group);
      groupJson.set(group, body);
    }
    return { status: 200, body };
  }

  /** The answer of CreateJob and CancelJob: the job's ARN, id and description. */
  function jobReference(job: LiveIotJob): Answer {
    return {
      status: 200,
      body: JSON.stringify({
        jobArn: job.jobArn,
        jobId: job.jobId,
        ...(job.description !== '' ? { description: job.description } : {}),
      }),
    };
  }

  function createJob(jobId: string, rawBody: string): Answer {
    if (!IOT_JOB_ID.test(jobId)) throw invalid("Value at 'jobId' failed to satisfy constraint.");
    const body = jsonBody(rawBody);
    const targets = body.targets;
    if (
      !Array.isArray(targets) ||
      targets.length === 0 ||
      !targets.every((target) => typeof target === 'string' && target.length <= 2048)
    ) {
      throw invalid(
        "Value at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1.",
      );
    }
    const targetSelection = optionalString(body, 'targetSelection', (v) =>
      TARGET_SELECTION_SET.has(v),
    );
    const description = optionalString(body, 'description', (v) => v.length <= MAX_DESCRIPTION);
    const document = optionalString(body, 'document');
    const documentSource = optionalString(body, 'documentSource');
    const jobTemplateArn = optionalString(body, 'jobTemplateArn');
    const namespaceId = optionalString(body, 'namespaceId', (v) => NAMESPACE_ID.test(v));
    if (document === undefined && documentSource === undefined && jobTemplateArn === undefined) {
      throw invalid('Either document or documentSource must be specified.');
    }
    const existingJob = listing.get(jobId);
    if (existingJob !== undefined) {
      throw new RequestError(
        409,
        'ResourceAlreadyExistsException',
        `Job ${jobId} already exists.`,
        { resourceId: jobId, resourceArn: existingJob.job.jobArn },
      );
    }
    const job = store.createJob({
      jobId,
      targets: targets as string[],
      targetSelection: targetSelection ?? 'SNAPSHOT',
      description: description ?? '',
      documentSource: documentSource ?? '',
      jobTemplateArn: jobTemplateArn ?? null,
      namespaceId: namespaceId ?? null,
      status: body.schedulingConfig !== undefined ? 'SCHEDULED' : 'IN_PROGRESS',
    });
    return jobReference(job);
  }

  function cancelJob(jobId: string, params: Map<string, string>, rawBody: string): Answer {
    const force = forceParam(params);
    const body = jsonBody(rawBody);
    const reasonCode = optionalString(body, 'reasonCode', (v) => REASON_CODE.test(v));
    const comment = optionalString(body, 'comment', (v) => v.length <= MAX_DESCRIPTION);
    const { job } = existing(jobId);
    if (TERMINAL.has(job.status) || job.status === 'DELETION_IN_PROGRESS') {
      throw invalid(`Job ${jobId} cannot be canceled in status ${job.status}.`);
    }
    store.cancelJob(jobId, {
      force,
      ...(reasonCode !== undefined ? { reasonCode } : {}),
      ...(comment !== undefined ? { comment } : {}),
    });
    return jobReference(store.job(jobId) ?? job);
  }

  function deleteJob(jobId: string, params: Map<string, string>): Answer {
    const force = forceParam(params);
    patternParam(params, 'namespaceId', NAMESPACE_ID);
    const { job } = existing(jobId);
    if (!force && !TERMINAL.has(job.status)) {
      throw new RequestError(
        409,
        'InvalidStateTransitionException',
        `Job ${jobId} is ${job.status}; deleting it requires force.`,
      );
    }
    store.deleteJob(jobId);
    return { status: 200, body: '' };
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

  function errorAnswer(
    status: number,
    errorType: string,
    message: string,
    fields: Readonly<Record<string, string>> = {},
  ): Answer {
    return { status, errorType, body: JSON.stringify({ message, ...fields }) };
  }

  /** The operation a method and path name, and the job or group id in the path. */
  function route(method: string, rawPath: string): { operation?: Operation; label: string } {
    if (rawPath === '/jobs')
      return method === 'GET' ? { operation: 'ListJobs', label: '' } : { label: '' };
    if (rawPath.startsWith('/thing-groups/') && rawPath.indexOf('/', 14) === -1) {
      return method === 'GET'
        ? { operation: 'DescribeThingGroup', label: rawPath.slice(14) }
        : { label: '' };
    }
    if (!rawPath.startsWith('/jobs/')) return { label: '' };
    const rest = rawPath.slice(6);
    const slash = rest.indexOf('/');
    if (slash === -1) {
      if (method === 'GET') return { operation: 'DescribeJob', label: rest };
      if (method === 'PUT') return { operation: 'CreateJob', label: rest };
      if (method === 'DELETE') return { operation: 'DeleteJob', label: rest };
    } else if (method === 'PUT' && rest.slice(slash) === '/cancel') {
      return { operation: 'CancelJob', label: rest.slice(0, slash) };
    }
    return { label: '' };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const method = request.method ?? 'GET';
    const { operation, label } = route(method, rawPath);
    if (operation) counters.operation(operation);

    // Requests that change data carry a body, and the signature covers its hash.
    let body = '';
    if (method !== 'GET' && method !== 'HEAD') {
      try {
        body = await readBody(request, MAX_BODY_BYTES);
      } catch {
        send(
          response,
          errorAnswer(400, 'InvalidRequestException', 'The request body is too large.'),
          'ok',
        );
        return;
      }
    }
    const auth = verify({
      method,
      rawPath,
      rawQuery,
      headers: request.headers,
      ...(method !== 'GET' && method !== 'HEAD' ? { payloadHash: sha256Hex(body) } : {}),
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
      const params = parseQuery(rawQuery);
      const id = operation === 'ListJobs' ? '' : decodeURIComponent(label);
      switch (operation) {
        case 'ListJobs':
          answer = listJobs(params);
          break;
        case 'DescribeJob':
          answer = describeJob(id);
          break;
        case 'DescribeThingGroup':
          answer = describeThingGroup(id);
          break;
        case 'CreateJob':
          answer = createJob(id, body);
          break;
        case 'CancelJob':
          answer = cancelJob(id, params, body);
          break;
        case 'DeleteJob':
          answer = deleteJob(id, params);
          break;
        default:
          answer = errorAnswer(404, 'UnknownOperationException', 'Unknown operation');
      }
    } catch (error) {
      if (error instanceof RequestError) {
        answer = errorAnswer(error.status, error.errorType, error.message, error.fields);
      } else if (error instanceof LiveChangeError) {
        answer = errorAnswer(400, 'InvalidRequestException', error.message);
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
    region,
    faults,
    counters,
    quirks,
    live: store,
    get tokenTtlMs() {
      return rules.tokenTtlMs;
    },
    set tokenTtlMs(value: number | undefined) {
      rules.tokenTtlMs = value;
    },
    get refuseTokensOfDeletedJobs() {
      return rules.refuseTokensOfDeletedJobs;
    },
    set refuseTokensOfDeletedJobs(value: boolean) {
      rules.refuseTokensOfDeletedJobs = value;
    },
    refuseNextTokens(count: number) {
      rules.refusals = Math.max(0, Math.floor(count));
    },
    close: () => running.close(),
  };
}
