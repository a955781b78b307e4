#!/usr/bin/env node
// A stand-in for an assistant CLI (codex, gemini, qwen, copilot or any command). It takes the
// prompt the way the real tools do (`-` or no prompt argument: stdin; `-p PROMPT`; or a bare
// trailing argument) and behaves as `--fake-mode=` says. `--fake-log=FILE` gets one JSON line
// per run: argv, where the prompt came from, its length and the pids involved.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const opt = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const mode = opt('fake-mode') ?? 'good';
const log = opt('fake-log');
const plain = argv.filter((a) => !a.startsWith('--fake-'));

async function readStdin() {
  let s = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) s += chunk;
  return s;
}

const pIndex = plain.indexOf('-p');
let prompt;
let via;
if (pIndex >= 0) {
  prompt = plain[pIndex + 1];
  via = 'arg';
} else if (plain.includes('-')) {
  prompt = await readStdin();
  via = 'stdin';
} else if (plain.length && plain[plain.length - 1].length > 200) {
  prompt = plain[plain.length - 1];
  via = 'arg';
} else {
  prompt = await readStdin();
  via = 'stdin';
}

let childPid = null;
if (mode === 'sleep-with-child') {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  childPid = child.pid;
}
if (log) appendFileSync(log, `${JSON.stringify({ argv: plain, via, promptLength: prompt?.length ?? 0, hasRules: /Rules:/.test(prompt ?? ''), pid: process.pid, childPid })}\n`);

const answer = { action: 'SELL', confidence: 'high', reasoning: 'fake assistant: downtrend on 4h and 1d' };
switch (mode) {
  case 'good':
    process.stdout.write(`Thinking about ${prompt.length} characters of context...\n\n\`\`\`json\n${JSON.stringify(answer, null, 2)}\n\`\`\`\n`);
    break;
  case 'garbage':
    process.stdout.write('I am not sure what the market will do. Maybe buy? Maybe not.\n');
    break;
  case 'fail':
    process.stderr.write('Error: not logged in (run `assistant login`)\n');
    process.exit(3);
    break;
  case 'sleep-with-child':
    setTimeout(() => process.stdout.write(JSON.stringify(answer)), 10_000);
    break;
  default:
    process.stderr.write(`unknown --fake-mode ${mode}\n`);
    process.exit(2);
}
