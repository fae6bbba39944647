/**
 * `npm run gen:validator`: writes schemas/record-validator.gen.ts, the precompiled validator of
 * schemas/record.schema.json (ajv standalone code; see schemas/record-ajv.ts). Run it after changing the schema, and
 * commit both: until then the commands compile the schema when they start (slower, same verdicts) and
 * test/schemas/record-ajv.test.ts fails.
 *
 *   node dist/scripts/gen-validator.js [--check]    --check: write nothing, exit 1 when the file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GENERATED_FILE, recordValidatorModule } from '../schemas/record-ajv.js';
import { projectPath } from '../schemas/paths.js';

const target = projectPath('schemas', GENERATED_FILE);
const code = recordValidatorModule(readFileSync(projectPath('schemas', 'record.schema.json'), 'utf8'));
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // not there yet
}
if (process.argv.includes('--check')) {
  process.stdout.write(
    current === code ? `schemas/${GENERATED_FILE} is up to date\n` : `schemas/${GENERATED_FILE} is out of date: npm run gen:validator\n`,
  );
  process.exitCode = current === code ? 0 : 1;
} else if (current === code) {
  process.stdout.write(`schemas/${GENERATED_FILE} is up to date\n`);
} else {
  writeFileSync(target, code);
  process.stdout.write(`wrote schemas/${GENERATED_FILE} (${code.length} characters); npm run gen:validator compiles it\n`);
}
