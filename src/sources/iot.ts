import { UpstreamError } from '../errors.js';
import type { CircuitBreaker } from '../upstreams/breaker.js';
import {
  IOT_MAX_PAGE_SIZE,
  type IotJobDetailsRecord,
  type IotJobRecord,
  type IotUpstream,
  type ThingGroupRecord,
  type Upstreams,
} from '../upstreams/types.js';
import { healthOf, orNull, refusedToken } from './common.js';
import type {
  ByIdRead,
  FetchCall,
  JobSourceAdapter,
  ListOrder,
  ListRequest,
  SourceCall,
  SourcePage,
} from './types.js';

/**
 * AWS IoT ListJobs in one region. Its nextToken marks page boundaries only, so positions inside a
 * page are the pagination code's business (token plus anchor). IoT documents no order; the
 * configured `order` says what the gateway may assume. A job is fetched by id with DescribeJob,
 * the read that `IotJob.details` makes too, so a refetch and its details cost one call.
 */
export function createIotSource(
  region: string,
  order: ListOrder,
  breaker: CircuitBreaker | undefined,
): JobSourceAdapter {
  const describe = describeJob(region);
  return {
    key: `IOT:${region}`,
    source: 'IOT',
    region,
    order,
    maxPageSize: IOT_MAX_PAGE_SIZE,
    async list(request: ListRequest, call: SourceCall): Promise<SourcePage> {
      const client = call.upstreams.iot.get(region);
      if (!client) throw new UpstreamError('UPSTREAM_UNAVAILABLE', 'IOT', { region });
      try {
        const page = await client.listJobs({
          filter: request.query.iot,
          pageToken: request.token,
          pageSize: request.size,
          signal: call.signal,
        });
        return { items: page.items, next: page.nextToken };
      } catch (error) {
        throw refusedToken(error, request.token);
      }
    },
    async fetch(jobId: string, call: FetchCall) {
      const details = await orNull(call.byId(describe, jobId));
      return details && summaryFromDetails(details);
    },
    health: () => healthOf(breaker),
  };
}

function clientIn(upstreams: Upstreams, region: string): IotUpstream {
  const client = upstreams.iot.get(region);
  if (!client) throw new UpstreamError('NOT_FOUND', 'IOT', { region, attempts: 0 });
  return client;
}

/** One read per region, made once: loaders are keyed by the read. */
function perRegion<T>(make: (region: string) => ByIdRead<T>): (region: string) => ByIdRead<T> {
  const reads = new Map<string, ByIdRead<T>>();
  return (region) => {
    let read = reads.get(region);
    if (!read) reads.set(region, (read = make(region)));
    return read;
  };
}

/** DescribeJob in a region. */
export const describeJob = perRegion<IotJobDetailsRecord>((region) => ({
  operation: 'DescribeJob',
  source: 'IOT',
  region,
  load: (upstreams, id, signal) => clientIn(upstreams, region).describeJob(id, { signal }),
}));

/** DescribeThingGroup in a region: a refetched job's thingGroupId, by the group's name. */
export const describeThingGroup = perRegion<ThingGroupRecord>((region) => ({
  operation: 'DescribeThingGroup',
  source: 'IOT',
  region,
  load: (upstreams, name, signal) =>
    clientIn(upstreams, region).describeThingGroup(name, { signal }),
}));

const THING_GROUP_ARN = /^arn:[^:]+:iot:[^:]*:[^:]*:thinggroup\/(.+)$/;

/** The job summary that ListJobs would have given, rebuilt from DescribeJob. */
function summaryFromDetails(details: IotJobDetailsRecord): IotJobRecord {
  const groups = details.targets.flatMap((arn) => THING_GROUP_ARN.exec(arn)?.[1] ?? []);
  return {
    kind: 'iot',
    region: details.region,
    jobId: details.jobId,
    jobArn: details.jobArn,
    thingGroupId: null,
    thingGroupTarget: groups.length === 1 ? groups[0] : undefined,
    targetSelection: details.targetSelection,
    status: details.status,
    createdAt: details.createdAt,
    lastUpdatedAt: details.lastUpdatedAt,
    completedAt: details.completedAt,
    isConcurrent: details.isConcurrent,
  };
}
