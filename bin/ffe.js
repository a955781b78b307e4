#!/usr/bin/env node
import { entry } from './entry.js';

const { main } = await import(entry('cli', 'interfaces/cli/main.js'));
process.exitCode = await main(process.argv);
