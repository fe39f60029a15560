// Writes the printed SDL of the API (and of the federation subgraph) into schema/.
import { writeFileSync } from 'node:fs';
import { printedSchemas } from '../src/schema/print.js';

for (const [file, sdl] of Object.entries(await printedSchemas())) {
  writeFileSync(new URL(`../${file}`, import.meta.url), sdl);
  console.log(`wrote ${file}`);
}
