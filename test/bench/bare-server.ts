import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The physical-limit baseline, run as its own process so that it does not share an event loop with
 * the load generator (as the gateway does not): node:http answering every request with the very
 * bytes the gateway produced for the scenario. The benchmark sets those bytes over IPC.
 */

interface ServeMessage {
  readonly type: 'bare:set';
  /** The bytes to answer with, base64 (IPC carries JSON). */
  readonly body: string;
  readonly contentType: string;
}

interface StopMessage {
  readonly type: 'bare:stop';
}

interface ReadyReply {
  readonly type: 'bare:ready';
  readonly port: number;
}

interface ServingReply {
  readonly type: 'bare:set-done';
}

export type BareServerMessage = ServeMessage | StopMessage;
export type BareServerReply = ReadyReply | ServingReply;

let body = Buffer.alloc(0);
let contentType = 'application/json';

const server = createServer((request, response) => {
  // Read the request to its end first, as the gateway must before it can answer.
  request.on('end', () => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    response.end(body);
  });
  request.resume();
});
// The same keep-alive window as the gateway, so that neither side pays for reconnects.
server.keepAliveTimeout = 65_000;

process.on('message', (message: BareServerMessage) => {
  if (message.type === 'bare:set') {
    body = Buffer.from(message.body, 'base64');
    contentType = message.contentType;
    send({ type: 'bare:set-done' });
  } else if (message.type === 'bare:stop') {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  }
});
// If the benchmark dies, its end of the channel closes: go with it rather than linger.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  send({ type: 'bare:ready', port: (server.address() as AddressInfo).port });
});

function send(reply: BareServerReply): void {
  process.send?.(reply);
}
