#!/usr/bin/env node
// The only place that calls process.exit (see src/cli/main.ts).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
