#!/usr/bin/env node
import { entry } from './entry.js';

const { main } = await import(entry('ctl', 'interfaces/ctl/main.js'));

// `ffe-ctl ... | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv);
