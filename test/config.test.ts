import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

// The configuration of regions, their endpoints and the order IoT is assumed to list in, read
// from the environment as the process reads it.

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('regions', () => {
  it('default to AWS_REGION alone, so that nothing changes for a single-region deployment', () => {
    const config = loadConfig({ AWS_REGION: 'eu-west-1' });
    expect(config.iotRegions).toEqual(['eu-west-1']);
    expect(config.iotEndpoints.size).toBe(0);
    expect(config.iotListOrder).toBe('newest-first');
  });

  it('IOT_REGIONS lists them in merge order, the first being the default region', () => {
    const config = loadConfig({ IOT_REGIONS: 'eu-west-1, us-east-1,ap-southeast-2,eu-west-1' });
    expect(config.iotRegions).toEqual(['eu-west-1', 'us-east-1', 'ap-southeast-2']);
  });

  it('IOT_ENDPOINTS sets an endpoint per region; IOT_ENDPOINT covers the regions it leaves out', () => {
    const config = loadConfig({
      IOT_REGIONS: 'us-east-1,eu-west-1,us-west-2',
      IOT_ENDPOINTS: 'eu-west-1=http://127.0.0.1:9001/, us-west-2=https://iot.example.com',
      IOT_ENDPOINT: 'http://127.0.0.1:9000',
    });
    expect([...config.iotEndpoints]).toEqual([
      ['eu-west-1', 'http://127.0.0.1:9001'],
      ['us-west-2', 'https://iot.example.com'],
      ['us-east-1', 'http://127.0.0.1:9000'],
    ]);
  });

  it.each([
    [{ IOT_REGIONS: 'us-east-1,Mars' }, 'IOT_REGIONS'],
    [{ IOT_REGIONS: ',' }, 'IOT_REGIONS'],
    [{ IOT_ENDPOINTS: 'eu-west-1=http://x' }, 'IOT_ENDPOINTS'],
    [{ IOT_REGIONS: 'eu-west-1', IOT_ENDPOINTS: 'eu-west-1=ftp://x' }, 'IOT_ENDPOINTS'],
    [{ IOT_REGIONS: 'eu-west-1', IOT_ENDPOINTS: 'eu-west-1' }, 'IOT_ENDPOINTS'],
    [
      { IOT_REGIONS: 'eu-west-1', IOT_ENDPOINTS: 'eu-west-1=http://a,eu-west-1=http://b' },
      'IOT_ENDPOINTS',
    ],
    [{ IOT_REGIONS: 'eu-west-1', IOT_ENDPOINTS: 'eu-west-1=http://u:p@x' }, 'IOT_ENDPOINTS'],
    [{ IOT_LIST_ORDER: 'oldest-first' }, 'IOT_LIST_ORDER'],
  ])('refuses %o, naming %s', (env, variable) => {
    expect(problems(env)).toContain(variable);
  });
});

describe('deadlines', () => {
  it('refuses a request deadline that could never let an upstream call time out', () => {
    expect(problems({ REQUEST_TIMEOUT_MS: '5000', UPSTREAM_TIMEOUT_MS: '5000' })).toMatch(
      /REQUEST_TIMEOUT_MS \(5000\) must be greater than UPSTREAM_TIMEOUT_MS \(5000\)/,
    );
    expect(problems({ REQUEST_TIMEOUT_MS: '3000' })).toContain('UPSTREAM_TIMEOUT_MS (5000)');
    expect(problems({ REQUEST_TIMEOUT_MS: '3000', UPSTREAM_TIMEOUT_MS: '2000' })).toBe('');
  });
});

describe('replicas: Redis, the cache of upstream reads, persisted documents', () => {
  it('default to no Redis, no cache, and persisted documents allowed', () => {
    const config = loadConfig({});
    expect(config.redisUrl).toBeUndefined();
    expect(config.pageCacheTtlMs).toBe(0);
    expect(config.detailCacheTtlMs).toBe(0);
    expect(config.persistedDocuments).toBe('allowed');
    expect(config.redisKeyPrefix).toBe('jobs-gateway:');
  });

  it('reads them', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://:secret@cache.internal:6380/2',
      REDIS_TIMEOUT_MS: '100',
      REDIS_KEY_PREFIX: 'jg-prod:',
      PAGE_CACHE_TTL_MS: '5000',
      DETAIL_CACHE_TTL_MS: '30000',
      CACHE_MEMORY_MB: '16',
      PERSISTED_DOCUMENTS: 'required',
      PERSISTED_DOCUMENTS_MANIFEST: 'persisted-documents.json',
    });
    expect(config).toMatchObject({
      redisUrl: 'rediss://:secret@cache.internal:6380/2',
      redisTimeoutMs: 100,
      redisKeyPrefix: 'jg-prod:',
      pageCacheTtlMs: 5000,
      detailCacheTtlMs: 30000,
      cacheMemoryMb: 16,
      persistedDocuments: 'required',
      persistedDocumentsManifest: 'persisted-documents.json',
    });
  });

  it.each([
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://' }, 'REDIS_URL'],
    [{ PAGE_CACHE_TTL_MS: '-1' }, 'PAGE_CACHE_TTL_MS'],
    [{ DETAIL_CACHE_TTL_MS: 'soon' }, 'DETAIL_CACHE_TTL_MS'],
    [{ REDIS_TIMEOUT_MS: '0' }, 'REDIS_TIMEOUT_MS'],
    [{ REDIS_KEY_PREFIX: 'has space' }, 'REDIS_KEY_PREFIX'],
    [{ PERSISTED_DOCUMENTS: 'sometimes' }, 'PERSISTED_DOCUMENTS'],
    [{ PERSISTED_DOCUMENTS: 'required' }, 'PERSISTED_DOCUMENTS_MANIFEST'],
  ])('refuses %o, naming %s', (env, variable) => {
    expect(problems(env)).toContain(variable);
  });

  it('never echoes a Redis URL, which may hold a password', () => {
    expect(problems({ REDIS_URL: 'http://:hunter2-secret@host' })).not.toContain('hunter2');
  });
});
