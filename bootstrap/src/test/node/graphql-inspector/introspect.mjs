// What a front-end team runs to fetch the schema from a live Fidelis: a staff token from the
// development issuer, then `graphql-inspector introspect` over HTTP, writing the schema as SDL.
// Prints the written schema; exits with the inspector's code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.FIDELIS_URL;
const response = await fetch(`${base}/dev-issuer/token`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain' },
  body: new URLSearchParams({ caller: 'staff', roles: 'admin' }),
});
if (!response.ok) {
  console.error(`token endpoint answered ${response.status}`);
  process.exit(2);
}
const token = (await response.text()).trim();
const out = join(mkdtempSync(join(tmpdir(), 'fidelis-inspector-')), 'schema.graphql');
const inspector = spawnSync(process.execPath,
  [join(here, 'node_modules/@graphql-inspector/cli/cjs/index.js'), 'introspect', `${base}/graphql`,
    '--header', `Authorization: Bearer ${token}`, '--write', out],
  { encoding: 'utf8' });
process.stderr.write(inspector.stdout + inspector.stderr);
if (inspector.status !== 0) {
  process.exit(inspector.status ?? 2);
}
process.stdout.write(readFileSync(out, 'utf8'));
