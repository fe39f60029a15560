import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  DescribeJobCommand,
  DescribeThingGroupCommand,
  IoTClient,
  ListJobsCommand,
  type ListJobsCommandInput,
} from '@aws-sdk/client-iot';
import { UpstreamError } from '../../errors.js';
import {
  type AttemptOutcome,
  type CallContext,
  callWithRetry,
  DEFAULT_RETRY_POLICY,
  type RetryOptions,
  type UpstreamClientOptions,
} from '../retry.js';
import {
  type CallOptions,
  IOT_MAX_PAGE_SIZE,
  type IotJobDetailsRecord,
  type IotJobPage,
  type IotListJobsInput,
  type IotUpstream,
  type ThingGroupRecord,
} from '../types.js';
import { CredentialsUnavailableError, classifyIotError } from './errors.js';
import { toIotJobDetailsRecord, toIotJobPage, toThingGroupRecord } from './mappers.js';

export type IotOperation = 'ListJobs' | 'DescribeJob' | 'DescribeThingGroup';

export interface IotUpstreamOptions extends UpstreamClientOptions {
  /** Any IoT-compatible server. @default the SDK's regional endpoint */
  readonly endpoint?: string | undefined;
  readonly region: string;
}

/** IoT's own input constraints, checked before a call that could only come back as a 400. */
const JOB_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const THING_GROUP_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

function badInput(upstreamCode: string, region: string): UpstreamError {
  return new UpstreamError('BAD_USER_INPUT', 'IOT', { upstreamCode, attempts: 0, region });
}

/**
 * Where a command's input carries the deadline of its call. Any option given to `send()`, an
 * `abortSignal` included, makes the SDK build the whole middleware chain anew for that call
 * (its handler cache serves only option-less sends); the input travels the cached chain as it
 * is, and the serializers read only the members of the operation's schema.
 */
const DEADLINE = Symbol('call deadline');

type WithDeadline<T> = T & { [DEADLINE]?: AbortSignal };

function withDeadline<T extends object>(input: T, signal: AbortSignal): WithDeadline<T> {
  return Object.assign(input, { [DEADLINE]: signal });
}

/**
 * The AWS IoT upstream: one long-lived SDK client and one keep-alive agent pair for the whole
 * process. The SDK's own retries are off (`maxAttempts: 1`) because callWithRetry owns the policy,
 * the deadline and the budget; retrying at two layers multiplies attempts. Each attempt's
 * deadline (an AbortSignal) reaches the HTTP handler through the innermost middleware: that, not
 * a socket timeout, is what ends a hung call and closes its socket.
 */
export function createIotUpstream(options: IotUpstreamOptions): IotUpstream {
  const maxSockets = options.maxSockets ?? 50;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  const provider = options.credentials;
  const client = new IoTClient({
    region: options.region,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    // The SDK memoizes what this returns until its `expiration`; failures are tagged so that they
    // classify as UPSTREAM_NO_CREDENTIALS: nothing was sent, so nothing was refused.
    credentials: async () => {
      try {
        return await provider();
      } catch (cause) {
        throw new CredentialsUnavailableError('credentials provider failed', { cause });
      }
    },
    maxAttempts: 1,
    // Options rather than a NodeHttpHandler instance: the SDK builds its handler around the given
    // agents, and the project needs no direct dependency on @smithy/node-http-handler.
    requestHandler: { httpAgent, httpsAgent },
    // The middleware stack is never modified after start; resolving it once per command class
    // saves a measurable share of the SDK's per-call CPU.
    cacheMiddleware: true,
  });

  // The SDK's logger middleware copies and walks every input and output to filter sensitive
  // members before handing them to a logger that, here, discards them: a full pass over each page
  // for nothing. Attempts are reported through `onAttempt` instead.
  client.middlewareStack.remove('loggerMiddleware');

  // Left to itself the SDK builds a new SigV4 signer for every call, from a copy of the whole
  // client configuration. Nothing it is built from changes per call (credentials are asked of
  // the provider at each signing; the date, region and service are given at each signing), so
  // one is built, on the first call, and kept.
  const buildSigner = client.config.signer;
  let signer: ReturnType<typeof buildSigner> | undefined;
  client.config.signer = (authScheme) => {
    signer ??= buildSigner(authScheme).catch((error: unknown) => {
      signer = undefined;
      throw error;
    });
    return signer;
  };

  // The innermost step: the signed request goes to the SDK's own HTTP handler with the call's
  // deadline, exactly as the SDK's last step would send it with `send(command, { abortSignal })`,
  // but without giving up the handler cache that `cacheMiddleware` turns on.
  const httpHandler = client.config.requestHandler;
  client.middlewareStack.add(
    (next) => (args) => {
      const signal = (args.input as WithDeadline<object>)[DEADLINE];
      if (signal === undefined) return next(args);
      return httpHandler.handle(args.request as never, { abortSignal: signal }) as never;
    },
    { step: 'deserialize', priority: 'low', name: 'callDeadlineMiddleware' },
  );

  const { region } = options;
  const mapping = { region, onUnknownValue: options.onUnknownValue };
  const classify = (error: unknown) => classifyIotError(error, region);
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const report = options.onAttempt;
  const reporter = (operation: IotOperation) =>
    report ? (outcome: AttemptOutcome) => report({ ...outcome, operation }) : undefined;
  const onList = reporter('ListJobs');
  const onDescribeJob = reporter('DescribeJob');
  const onDescribeGroup = reporter('DescribeThingGroup');

  function run<T>(
    call: CallOptions | undefined,
    onAttempt: RetryOptions['onAttempt'],
    operation: (context: CallContext) => Promise<T>,
  ): Promise<T> {
    return callWithRetry(
      {
        source: 'IOT',
        region,
        policy,
        timeoutMs: options.timeoutMs,
        signal: call?.signal,
        onCallAttempt: call?.onAttempt,
        budget: options.budget,
        classify,
        onAttempt,
      },
      operation,
    );
  }

  return {
    source: 'IOT',
    region,

    listJobs(input: IotListJobsInput): Promise<IotJobPage> {
      const { pageSize, filter, pageToken } = input;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > IOT_MAX_PAGE_SIZE) {
        return Promise.reject(badInput('InvalidPageSize', region));
      }
      const request: ListJobsCommandInput = { maxResults: pageSize };
      if (pageToken) request.nextToken = pageToken;
      if (filter) {
        if (filter.status) request.status = filter.status;
        if (filter.targetSelection) request.targetSelection = filter.targetSelection;
        if (filter.thingGroupName) request.thingGroupName = filter.thingGroupName;
        if (filter.thingGroupId) request.thingGroupId = filter.thingGroupId;
        if (filter.namespaceId) request.namespaceId = filter.namespaceId;
      }
      return run(input, onList, async ({ signal }) =>
        toIotJobPage(
          await client.send(new ListJobsCommand(withDeadline(request, signal))),
          mapping,
        ),
      );
    },

    describeJob(jobId: string, callOptions?: CallOptions): Promise<IotJobDetailsRecord> {
      if (!JOB_ID.test(jobId)) return Promise.reject(badInput('InvalidJobId', region));
      return run(callOptions, onDescribeJob, async ({ signal }) =>
        toIotJobDetailsRecord(
          await client.send(new DescribeJobCommand(withDeadline({ jobId }, signal))),
          mapping,
        ),
      );
    },

    describeThingGroup(
      thingGroupName: string,
      callOptions?: CallOptions,
    ): Promise<ThingGroupRecord> {
      if (!THING_GROUP_NAME.test(thingGroupName)) {
        return Promise.reject(badInput('InvalidThingGroupName', region));
      }
      return run(callOptions, onDescribeGroup, async ({ signal }) =>
        toThingGroupRecord(
          await client.send(
            new DescribeThingGroupCommand(withDeadline({ thingGroupName }, signal)),
          ),
          thingGroupName,
        ),
      );
    },

    destroy(): void {
      client.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
