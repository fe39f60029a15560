import { UpstreamError } from '../errors.js';
import type { CircuitBreaker } from '../upstreams/breaker.js';
import { IOT_MAX_PAGE_SIZE } from '../upstreams/types.js';
import { healthOf, refusedToken } from './common.js';
import type { JobSourceAdapter, ListOrder, ListRequest, SourceCall, SourcePage } from './types.js';

/**
 * AWS IoT ListJobs in one region. Its nextToken marks page boundaries only, so positions inside a
 * page are the pagination code's business (token plus anchor). IoT documents no order; the
 * configured `order` says what the gateway may assume.
 */
export function createIotSource(
  region: string,
  order: ListOrder,
  breaker: CircuitBreaker | undefined,
): JobSourceAdapter {
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
    health: () => healthOf(breaker),
  };
}
