// Lints every schema file of Fidelis (each module's src/main/resources/graphql/*.graphqls) with
// graphql-schema-linter and the rules in package.json, prints its report and exits with its code.
// The linter's rules that sort fields, input fields and enum values alphabetically are left out:
// the schema orders them by meaning (ids first, then what a client reads most).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../../..');
const files = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(root, entry.name, 'src/main/resources/graphql'))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.graphqls')).map((f) => join(dir, f)));
if (files.length === 0) {
  console.error(`No schema files under ${root}`);
  process.exit(2);
}
const lint = spawnSync(process.execPath,
  [join(here, 'node_modules/graphql-schema-linter/lib/cli.js'), '--format', 'compact', '--config-directory', here, ...files],
  { encoding: 'utf8' });
process.stdout.write(`${files.length} schema files\n${lint.stdout}`);
process.stderr.write(lint.stderr);
process.exit(lint.status ?? 2);
