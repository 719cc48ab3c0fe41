#!/usr/bin/env node
// The CLI runs the TypeScript engine directly through tsx, so `npx edge-workbench` works right after
// `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../profiler/cli/main.ts');
process.exitCode = await main(process.argv);
