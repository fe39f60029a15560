import { SIMULATOR_ACCESS_KEY_ID, SIMULATOR_SECRET_ACCESS_KEY } from '../src/config.js';

/** Credentials that must never appear in a response or a log line. */
export const SECRETS = {
  accessKeyId: SIMULATOR_ACCESS_KEY_ID,
  secretAccessKey: SIMULATOR_SECRET_ACCESS_KEY,
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue0123456789',
} as const;
