import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestCounters } from './faults.js';

export interface ListenOptions {
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
}

export interface RunningServer {
  readonly server: Server;
  /** e.g. `http://127.0.0.1:4101`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops every open connection, hung ones included. */
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

/**
 * Serves `handler` on loopback and keeps `counters` honest: every request is counted when it
 * arrives and settled when its answer is sent or its client goes away first, which is how tests
 * see that an aborted upstream call really closed its socket.
 */
export async function listen(
  handler: Handler,
  counters: RequestCounters,
  options: ListenOptions = {},
): Promise<RunningServer> {
  const server = createServer((request, response) => {
    counters.started();
    let settled = false;
    const settle = (answered: boolean) => {
      if (settled) return;
      settled = true;
      counters.finished(answered);
    };
    response.on('finish', () => settle(true));
    response.on('close', () => settle(response.writableFinished));
    Promise.resolve()
      .then(() => handler(request, response))
      .catch(() => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end('simulator error');
        } else {
          response.destroy();
        }
      });
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port,
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads a request body, refusing more than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit = 1_048_576): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
