#!/usr/bin/env node
// The `art-sync` command. Runs the TypeScript sources through tsx, so `npx art-sync` works right
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
