import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh working directory with `config/config.yaml` holding `config`, and a data home inside it. */
export function configHome(config: string, prefix = 'ffe-home-'): { cwd: string; env: Record<string, string> } {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), config);
  return { cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } };
}
