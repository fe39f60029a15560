import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEALTH_PATH, READY_PATH } from '../src/app.js';
import { loadConfig } from '../src/config.js';

/**
 * The Dockerfile and the Kubernetes example cannot run here (no container runtime); what they
 * claim about the gateway is checked against the code instead. The production start itself is
 * run for real in bundle.e2e.test.ts, with the same commands.
 */

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const dockerfile = read('Dockerfile');
const kubernetes = read('deploy/kubernetes.yaml');
const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;

describe('the Dockerfile', () => {
  it('builds in one stage and runs production dependencies only in the other', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/RUN npm ci --no-audit/);
    expect(stages[0]).toMatch(/RUN npm run build/);
    expect(stages[1]).toMatch(/RUN npm ci --omit=dev/);
    expect(stages[1]).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(stages[1]).not.toMatch(/npm run build|COPY src/);
  });

  it('runs node itself as a non-root user, checks /health, and lets SIGTERM reach node', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    const health = /^HEALTHCHECK .*\\\n\s*CMD (.*)$/m.exec(dockerfile)?.[1] ?? '';
    expect(health).toContain(`/health`);
    expect(HEALTH_PATH).toBe('/health');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    // Exec form: no shell, no npm between the signal and the process.
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', 'dist/main.js']);
    expect(scripts['start:prod']).toBe('node dist/main.js');
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production/m);
    expect(dockerfile).toMatch(/^EXPOSE (\d+)$/m);
  });
});

describe('the Kubernetes example', () => {
  it('probes readiness on /ready and liveness on /health', () => {
    expect(/readinessProbe:\s+httpGet:\s+path: (\S+)/.exec(kubernetes)?.[1]).toBe(READY_PATH);
    expect(/livenessProbe:\s+httpGet:\s+path: (\S+)/.exec(kubernetes)?.[1]).toBe(HEALTH_PATH);
  });

  it('gives a stopping pod more time than the gateway takes to drain', () => {
    const grace = Number(/terminationGracePeriodSeconds: (\d+)/.exec(kubernetes)?.[1]);
    const shutdown = Number(/name: SHUTDOWN_TIMEOUT_MS\s+value: '(\d+)'/.exec(kubernetes)?.[1]);
    const preStop = Number(/preStop:\s+sleep:\s+seconds: (\d+)/.exec(kubernetes)?.[1] ?? 0);
    expect(shutdown).toBe(loadConfig({ SHUTDOWN_TIMEOUT_MS: String(shutdown) }).shutdownTimeoutMs);
    expect(grace * 1000).toBeGreaterThan(shutdown + preStop * 1000);
  });

  it('sets only variables the gateway reads, Redis among them, served by a Service of the example', () => {
    const gateway = kubernetes.split(/^---$/m)[0] ?? '';
    const names = [...gateway.matchAll(/- name: ([A-Z_]+)\n/g)].map((m) => m[1] as string);
    const config = read('src/config.ts');
    for (const name of names) expect(config, name).toContain(`'${name}'`);
    const env = Object.fromEntries(
      [...gateway.matchAll(/- name: ([A-Z_]+)\s+value: '?([^'\n]+)'?\n/g)].map((m) => [m[1], m[2]]),
    );
    const loaded = loadConfig({ ...env, CURSOR_SECRET: 'x'.repeat(32) });
    expect(loaded.pageCacheTtlMs).toBeGreaterThan(0);
    const redis = new URL(loaded.redisUrl ?? '');
    expect(kubernetes).toMatch(
      new RegExp(`kind: Service\\s+metadata:\\s+name: ${redis.hostname}\\s`),
    );
    expect(kubernetes).toMatch(new RegExp(`port: ${redis.port}\\b`));
  });

  it('sets what production requires', () => {
    expect(kubernetes).toMatch(/name: CURSOR_SECRET\s+valueFrom:\s+secretKeyRef:/);
    expect(kubernetes).toMatch(/runAsNonRoot: true/);
  });
});
