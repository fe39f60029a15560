// The gateway serving from memory: the same program as src/main.ts (configuration, yoga, schema,
// plugins, metrics, logs, limits, cursors, sources), but its upstream clients replay the answer
// each call got the first time it was made. After a warm-up no upstream call leaves the process:
// what it costs to serve a page is yoga and the gateway's own code, without the upstream clients
// (SDK, XML, SigV2, HTTP). The benchmark bundles it the way dist/main.js is bundled.
import { loadConfig } from '../../src/config.js';
import { startGateway } from '../../src/server.js';
import type { ConfiguredUpstreams } from '../../src/upstreams/index.js';
import type { ImportExportUpstream, IotUpstream } from '../../src/upstreams/types.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The first answer of each distinct call, kept; a failed call is not kept. */
function replaying<T>(): (
  key: string,
  call: () => Promise<T>,
  onAttempt?: () => void,
) => Promise<T> {
  const answers = new Map<string, Promise<T>>();
  return (key, call, onAttempt) => {
    let answer = answers.get(key);
    if (answer) {
      // The gateway counts attempts per call (metrics, budget): a replayed call made one.
      onAttempt?.();
      return answer;
    }
    answer = call();
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
    return answer;
  };
}

function fromMemory(clients: ConfiguredUpstreams): ConfiguredUpstreams {
  const iot = new Map<string, IotUpstream>();
  for (const [region, client] of clients.iot) {
    const pages = replaying<Awaited<ReturnType<IotUpstream['listJobs']>>>();
    const details = replaying<Awaited<ReturnType<IotUpstream['describeJob']>>>();
    const groups = replaying<Awaited<ReturnType<IotUpstream['describeThingGroup']>>>();
    iot.set(region, {
      ...client,
      listJobs: (input) =>
        pages(
          JSON.stringify([input.filter, input.pageToken, input.pageSize]),
          () => client.listJobs(input),
          input.onAttempt,
        ),
      describeJob: (id, options) =>
        details(id, () => client.describeJob(id, options), options?.onAttempt),
      describeThingGroup: (name, options) =>
        groups(name, () => client.describeThingGroup(name, options), options?.onAttempt),
    });
  }
  const x = clients.importExport;
  const pages = replaying<Awaited<ReturnType<ImportExportUpstream['listJobs']>>>();
  const statuses = replaying<Awaited<ReturnType<ImportExportUpstream['getStatus']>>>();
  const importExport: ImportExportUpstream = {
    ...x,
    listJobs: (input) =>
      pages(
        JSON.stringify([input.marker, input.maxJobs]),
        () => x.listJobs(input),
        input.onAttempt,
      ),
    getStatus: (id, options) => statuses(id, () => x.getStatus(id, options), options?.onAttempt),
  };
  return { ...clients, iot, importExport };
}

async function main(): Promise<void> {
  const running = await startGateway(loadConfig(), { upstreams: fromMemory });
  console.log(`jobs-gateway ready at ${running.url} (upstream answers replayed from memory)`);
  const stop = () => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`memory gateway: ${(error as Error).message}`);
  process.exit(1);
});
