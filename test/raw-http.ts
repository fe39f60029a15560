import { connect, type Socket } from 'node:net';

/** What came back on a raw connection, read until the server closed it. */
export interface RawAnswer {
  readonly status: number;
  readonly head: string;
  readonly body: string;
  /** When the connection closed, in ms from opening it (the first part is sent on connecting). */
  readonly closedAfterMs: number;
  /** Whether the socket failed (reset, broken pipe) rather than closing cleanly. */
  readonly error: string | undefined;
}

/**
 * Sends `parts` (a pause in ms between strings) on one connection and reads until it closes.
 * Writing stops once the server has closed, as a client would notice.
 */
export function raw(url: string, parts: readonly (string | Buffer | number)[]): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let ended = false;
    const started = Date.now();
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      ended = true;
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      resolve({
        status: Number(text.slice(9, 12)),
        head: split === -1 ? text : text.slice(0, split),
        body: split === -1 ? '' : text.slice(split + 4),
        closedAfterMs: Date.now() - started,
        error,
      });
    });
    socket.on('connect', async () => {
      for (const part of parts) {
        if (ended || socket.destroyed) return;
        if (typeof part === 'number') {
          await new Promise((r) => setTimeout(r, part));
        } else {
          await new Promise<void>((r) => socket.write(part, () => r()));
        }
      }
    });
  });
}
