// Bundle static/test/*.test.ts (and the src/lib modules they import) into .test-build/ as
// plain ES modules, so `node --test` runs them on Node 18+ without a TypeScript loader.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const entries = readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);
rmSync('.test-build', { recursive: true, force: true });
await build({
  entryPoints: entries, outdir: '.test-build', bundle: true, platform: 'node', format: 'esm',
  target: 'node18', outExtension: { '.js': '.mjs' }, logLevel: 'warning',
  jsx: 'automatic', jsxImportSource: 'preact', external: ['node:*'],
});
