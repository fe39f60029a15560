import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Nothing the gateway logs carries a credential, a signature or an upstream
 * message by construction; the redaction list is the second line of defence should a future log
 * call pass a request or an error object through.
 */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["x-amz-security-token"]',
  '*.headers["x-amz-security-token"]',
  '*.accessKeyId',
  '*.secretAccessKey',
  '*.sessionToken',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  '*.Signature',
  '*.SecurityToken',
  '*.AWSAccessKeyId',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'jobs-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and embedded use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
