#!/usr/bin/env node
// A stand-in for an assistant CLI in non-interactive mode, as the provider contract suite drives
// it: `codex exec --skip-git-repo-check [...] -` reads the prompt from stdin and prints only the
// final message on stdout (progress would go to stderr). What it answers is read, on every run,
// from the JSON file named by `--control=FILE` ({ "fault": null | "malformed" | "deep" | "hang" |
// "failure" | "huge" }), so a test switches faults without rebuilding the provider.
import { existsSync, readFileSync } from 'node:fs';

const control = process.argv
  .slice(2)
  .find((a) => a.startsWith('--control='))
  ?.slice('--control='.length);
const fault = control && existsSync(control) ? JSON.parse(readFileSync(control, 'utf8')).fault : null;

let prompt = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) prompt += chunk;

switch (fault) {
  case null:
  case undefined:
    // The final message of an assistant asked for a decision JSON: a sentence, then the object.
    process.stdout.write(
      `Read ${prompt.length} characters of market context.\n\n\`\`\`json\n${JSON.stringify({ action: 'BUY', confidence: 72, reasoning: 'fake assistant: uptrend on 4h with rising volume' }, null, 2)}\n\`\`\`\n`,
    );
    break;
  case 'malformed':
    process.stdout.write('I would rather not say what the market will do.\n');
    break;
  case 'deep':
    process.stdout.write(`{"decision": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}\n`);
    break;
  case 'hang':
    setInterval(() => {}, 60_000);
    break;
  case 'failure':
    process.stderr.write('Error: not logged in (run `codex login`)\n');
    process.exit(3);
    break;
  case 'huge':
    process.stdout.write('x'.repeat(2 * 1024 * 1024));
    break;
  default:
    process.stderr.write(`unknown fault ${fault}\n`);
    process.exit(2);
}
