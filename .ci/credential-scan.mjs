#!/usr/bin/env node
// Rejects credential-shaped strings before they are committed: private keys, provider API keys
// (sk-…, AWS, GitHub, Slack, Google), and long high-entropy values assigned to a key / secret /
// token / password name. The pre-commit hook runs it on the lines a commit adds; CI may run it on
// whole files. A line that must hold such a string on purpose (a documented fake) carries the
// marker `credential-scan: allow`.
//
// Usage: node .ci/credential-scan.mjs --staged      (lines added in the git index)
//        node .ci/credential-scan.mjs FILE...       (every line of the files)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const ALLOW = 'credential-scan: allow';

/** Fixed shapes: each is a credential whatever name it is assigned to. */
const SHAPES = [
  ['private key', /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/],
  ['OpenAI/Anthropic-style key (sk-…)', /\bsk-(?:[a-z]+-)?[A-Za-z0-9_-]{20,}/],
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['AWS secret access key', /aws_?secret_?access_?key\W{1,4}[A-Za-z0-9/+=]{40}\b/i],
  ['GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/],
  ['Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
];

/** A value assigned to a credential-like name: `api_key: "…"`, `secret = '…'`, `TOKEN=…`, `"password": "…"`. */
const ASSIGNED = /\b[\w-]*(?:key|secret|token|passw(?:or)?d|credential)s?["']?\s*[:=]\s*["'`]?([A-Za-z0-9+/_\-.=~]{20,})/gi;

/** Shannon entropy in bits per character. */
export function entropy(s) {
  const counts = new Map();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Values that look random but are not secrets: placeholders, paths, identifiers in code. */
const harmless = (v) =>
  /^(?:x+|\*+|\.+)$/i.test(v) ||
  /(?:example|placeholder|changeme|dummy|redacted|your[_-]|process\.env|import\.meta)/i.test(v) ||
  /^[a-z]+(?:[._-][a-z]+)+$/i.test(v) ||
  /^[A-Z][A-Z0-9_]+$/.test(v) ||
  /^[a-z][a-zA-Z0-9]*$/.test(v);

/** Findings in `text` as `{ line, kind }` (line numbers from 1, or from `lineOf(i)` when given). */
export function scanText(text, lineOf = (i) => i + 1) {
  const findings = [];
  text.split('\n').forEach((line, i) => {
    if (line.includes(ALLOW)) return;
    for (const [kind, re] of SHAPES) if (re.test(line)) findings.push({ line: lineOf(i), kind });
    for (const m of line.matchAll(ASSIGNED)) {
      const v = m[1];
      if (v.length >= 20 && entropy(v) >= 3.5 && !harmless(v)) findings.push({ line: lineOf(i), kind: 'high-entropy value assigned to a key/secret/token name' });
    }
  });
  return findings;
}

/** The lines the index adds, per file: `git diff --cached -U0` hunks. */
function stagedAdditions(cwd) {
  const diff = execFileSync('git', ['diff', '--cached', '-U0', '--no-color', '--no-ext-diff', '--diff-filter=ACMR', '--text'], { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  const files = [];
  let cur = null;
  let next = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      cur = { path: line.slice(4).replace(/^b\//, ''), lines: [], numbers: [] };
      files.push(cur);
    } else if (line.startsWith('@@')) {
      next = Number(/\+(\d+)/.exec(line)?.[1] ?? 0);
    } else if (cur && line.startsWith('+')) {
      cur.lines.push(line.slice(1));
      cur.numbers.push(next++);
    }
  }
  return files;
}

function main(argv) {
  const args = argv.slice(2);
  if (args.length === 0) {
    process.stderr.write('usage: credential-scan.mjs --staged | FILE...\n');
    return 2;
  }
  const found = [];
  if (args[0] === '--staged') {
    for (const f of stagedAdditions(process.cwd())) for (const x of scanText(f.lines.join('\n'), (i) => f.numbers[i])) found.push({ path: f.path, ...x });
  } else {
    for (const path of args) for (const x of scanText(readFileSync(path, 'utf8'))) found.push({ path, ...x });
  }
  if (found.length === 0) return 0;
  // Where and what, never the value itself: the terminal and CI logs must not receive it either.
  process.stderr.write(`credential-scan: ${found.length} credential-shaped string(s); remove them (use environment variables), or mark a deliberate fake with "${ALLOW}":\n`);
  for (const f of found) process.stderr.write(`  ${f.path}:${f.line}: ${f.kind}\n`);
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv);
