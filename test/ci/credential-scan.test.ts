import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../.ci/credential-scan.mjs');

// Built at run time, so this file itself holds no credential-shaped string for the hook to find.
const rand = (n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') => Array.from({ length: n }, (_, i) => alphabet[(i * 7919 + 13) % alphabet.length]).join('');
const FAKES = {
  privateKey: ['-----BEGIN', 'EC PRIVATE KEY-----'].join(' '),
  openai: ['sk', 'proj', rand(48)].join('-'),
  anthropic: ['sk', 'ant', 'api03', rand(40)].join('-'),
  aws: 'AKIA' + rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
  github: 'ghp_' + rand(36),
  assigned: 'Zq8' + rand(29) + 'Kx7',
};

function scan(files: Record<string, string>, opts: { staged?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-scan-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  if (opts.staged) {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
  }
  const r = spawnSync(process.execPath, [SCRIPT, ...(opts.staged ? ['--staged'] : Object.keys(files))], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

describe('.ci/credential-scan.mjs', () => {
  it('finds each credential shape, names file, line and kind, and never prints the value', () => {
    const text = ['const ok = 1;', FAKES.privateKey, `const key = '${FAKES.openai}';`, `model: '${FAKES.anthropic}'`, `AWS_ACCESS_KEY_ID=${FAKES.aws}`, `token: ${FAKES.github}`, `api_secret = "${FAKES.assigned}"`].join(
      '\n',
    );
    const r = scan({ 'a.ts': text });
    expect(r.code).toBe(1);
    for (const [line, kind] of [
      [2, 'private key'],
      [3, 'sk-'],
      [4, 'sk-'],
      [5, 'AWS access key id'],
      [6, 'GitHub token'],
      [7, 'high-entropy value'],
    ] as const)
      expect(r.err).toMatch(new RegExp(`a\\.ts:${line}: .*${kind.replace(/[-]/g, '\\-')}`));
    for (const v of Object.values(FAKES).slice(1)) expect(r.err).not.toContain(v);
  });

  it('passes ordinary code: env lookups, placeholders, identifiers, low-entropy and short values', () => {
    const text = [
      "const apiKey = process.env.OPENAI_API_KEY ?? '';",
      "api_key: '${OPENAI_API_KEY}'",
      'token: your-token-goes-here-please',
      'const tokenCount = countTokensInTheWholePromptText(prompt);',
      "secret: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
      "password: 'short-one'",
      'const keyOf = (pair: string) => pair.toUpperCase();',
      `// ${FAKES.openai} credential-scan: allow`,
    ].join('\n');
    const r = scan({ 'b.ts': text });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('--staged scans only the lines the index adds, with their line numbers', () => {
    const r = scan({ 'clean.md': 'hello\n', 'leak.env': `A=1\nB=2\nOPENAI_API_KEY=${FAKES.openai}\n` }, { staged: true });
    expect(r.code).toBe(1);
    expect(r.err).toContain('leak.env:3: OpenAI/Anthropic-style key');
    expect(r.err).not.toContain('clean.md');
  });

  it('--staged with nothing credential-shaped passes', () => {
    expect(scan({ 'x.ts': 'export const x = 1;\n' }, { staged: true }).code).toBe(0);
  });
});
