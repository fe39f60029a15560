import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchemas } from '../src/schema/print.js';

const printed = await printedSchemas();

describe('committed SDL', () => {
  for (const [file, sdl] of Object.entries(printed)) {
    it(`${file} is what the code prints (run \`npm run schema:print\` after a schema change)`, () => {
      expect(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')).toBe(sdl);
    });
  }
});
