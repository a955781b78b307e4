import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError } from '../../core/errors.js';

/**
 * Refuses an output file that can never be written, before the work that produces it starts:
 * a one-hour backtest must not end in `ENOENT` because of a typo in the folder.
 */
export function checkOutputPath(file: string, flag = '--output'): void {
  const full = resolve(file);
  const dir = dirname(full);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw inputError('OUTPUT_PATH', `${flag} ${file}: the folder ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) throw inputError('OUTPUT_PATH', `${flag} ${file}: ${dir} is not a folder`);
  try {
    if (statSync(full).isDirectory()) throw inputError('OUTPUT_PATH', `${flag} ${file} is a folder; give a file name`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw inputError('OUTPUT_PATH', `${flag} ${file}: the folder ${dir} is not writable`);
  }
}
