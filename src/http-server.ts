import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorBody } from './errors.js';

/**
 * The HTTP server around the gateway's request listener: how long a client may take to send a
 * request, coded JSON answers to requests Node's parser refuses, and a drain that lets a rolling
 * restart finish without resetting anyone.
 */

export interface HttpServerOptions {
  /**
   * A request's line and headers must have arrived this long after its first byte (on a new
   * connection that has sent nothing yet, after the connection opened).
   */
  readonly headersTimeoutMs: number;
  /**
   * The whole request, body included, must have arrived this much later still: by the sum of the
   * two from its first byte, however early the headers came.
   */
  readonly bodyTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open. Behind a load balancer the gateway must
   * outlive the balancer's idle timeout (often 60 s). @default 65000
   */
  readonly keepAliveTimeoutMs?: number | undefined;
}

export interface HttpServer {
  readonly server: Server;
  /** Requests being answered right now. */
  readonly inFlight: number;
  listen(port: number, host: string): Promise<void>;
  /**
   * Stops accepting connections and closes the idle ones; every answer from now on closes its
   * connection. Resolves once the requests in flight are answered, or after `timeoutMs`, and
   * closes whatever connection is left.
   */
  drain(timeoutMs: number): Promise<void>;
}

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

/** After answering a request the parser refused, how long a connection may linger half-closed. */
const LINGER_MS = 1000;
/**
 * How long a drain leaves the connections that are idle when it starts. A client may have sent
 * its next request on one already (a busy client sends right after each answer): closing the
 * connection under that request would reset it. Within this time such a request arrives, is
 * answered, and its answer closes the connection; what is still idle after it is closed.
 */
export const IDLE_GRACE_MS = 300;

export function createHttpServer(handle: Listener, options: HttpServerOptions): HttpServer {
  const { headersTimeoutMs, bodyTimeoutMs } = options;
  const server = createServer({
    headersTimeout: headersTimeoutMs,
    requestTimeout: headersTimeoutMs + bodyTimeoutMs,
    // Node checks both timeouts on this period (30 s by default, which let a slow client hold a
    // connection far longer than configured).
    connectionsCheckingInterval: Math.min(
      1000,
      Math.max(25, Math.floor(Math.min(headersTimeoutMs, bodyTimeoutMs) / 10)),
    ),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 65_000,
  });

  let inFlight = 0;
  let draining = false;
  const sockets = new Set<Socket>();
  let allClosed: (() => void) | undefined;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) allClosed?.();
    });
  });
  let idle: (() => void) | undefined;
  const pending = new Set<ServerResponse>();
  const responseOf = new WeakMap<Duplex, ServerResponse>();

  const listener: Listener = (request, response) => {
    inFlight++;
    pending.add(response);
    responseOf.set(request.socket, response);
    response.once('close', () => {
      pending.delete(response);
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    // A client on a kept-alive connection learns from the answer that it must reconnect (to
    // another instance) for its next request: nothing it sends is lost to a closing socket.
    if (draining) response.setHeader('connection', 'close');
    handle(request, response);
  };
  server.on('request', listener);
  // Called instead of 'request' for `Expect: 100-continue`; the listener sends the 100 once it
  // has checked the declared body, so that a body it refuses is never sent.
  server.on('checkContinue', listener);
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    answer(response, 417, 'EXPECTATION_FAILED', 'The only expectation understood is 100-continue.');
  });

  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    // The answer in progress on this connection, if any (not an earlier, finished one).
    const current = responseOf.get(socket);
    const started = current !== undefined && pending.has(current) && current.headersSent;
    if (!socket.writable || error.code === 'ECONNRESET' || started) {
      socket.destroy();
      return;
    }
    const { status, code, message } = clientErrorAnswer(error.code);
    const body = errorBody(code, message);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });

  let drained: Promise<void> | undefined;
  return {
    server,
    get inFlight() {
      return inFlight;
    },
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
    drain(timeoutMs) {
      drained ??= (async () => {
        draining = true;
        const deadline = Date.now() + timeoutMs;
        for (const response of pending) {
          if (!response.headersSent) response.setHeader('connection', 'close');
        }
        // Stop accepting, keeping the open connections: http.Server's own close would also
        // close the idle ones at once, under requests that may be on their way (see above).
        NetServer.prototype.close.call(server);
        if (sockets.size > 0) {
          await new Promise<void>((resolve) => {
            allClosed = resolve;
            setTimeout(resolve, Math.min(IDLE_GRACE_MS, timeoutMs)).unref();
          });
        }
        server.closeIdleConnections();
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            idle = resolve;
            setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
          });
        }
        server.closeAllConnections();
        // Also stops Node's timer that checks the client timeouts.
        server.close();
      })();
      return drained;
    },
  };
}

/** What to answer a request Node's parser refused: our words, never the parser's. */
function clientErrorAnswer(code: string | undefined): {
  status: number;
  code: string;
  message: string;
} {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'REQUEST_TIMEOUT',
        message: 'The request did not arrive in time.',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
        message: 'The request headers are too large.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is too large.',
      };
    default:
      return { status: 400, code: 'BAD_REQUEST', message: 'The request is not valid HTTP.' };
  }
}

function answer(response: ServerResponse, status: number, code: string, message: string): void {
  const body = errorBody(code, message);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  response.end(body);
}
