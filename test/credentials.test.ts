import { describe, expect, it } from 'vitest';
import { NoCredentialsError, resolveCredentials } from '../src/credentials.js';

const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('credentials resolved once at start', () => {
  it('reports none found, fails calls at once, and looks again only after a while', async () => {
    let walks = 0;
    let clock = 0;
    let available = false;
    const { provider, found } = await resolveCredentials({
      chain: async () => {
        walks++;
        if (!available) throw new Error('Could not load credentials from any providers');
        return KEYS;
      },
      retryAfterMs: 30_000,
      now: () => clock,
    });
    expect(found).toBe(false);
    expect(walks).toBe(1);
    await expect(provider()).rejects.toBeInstanceOf(NoCredentialsError);
    clock = 29_999;
    await expect(provider()).rejects.toBeInstanceOf(NoCredentialsError);
    expect(walks).toBe(1);
    available = true;
    clock = 30_000;
    await expect(Promise.all([provider(), provider()])).resolves.toEqual([KEYS, KEYS]);
    expect(walks).toBe(2);
  });

  it('reports credentials found and hands out what the chain gives', async () => {
    const { provider, found } = await resolveCredentials({ chain: async () => KEYS });
    expect(found).toBe(true);
    await expect(provider()).resolves.toEqual(KEYS);
  });
});
