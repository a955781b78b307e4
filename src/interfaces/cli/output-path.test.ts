import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FfeError } from '../../core/errors.js';
import { checkOutputPath } from './output-path.js';

describe('checkOutputPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-out-'));

  it.each([
    ['/nonexistent/dir/r.html', /--output \/nonexistent\/dir\/r\.html: the folder \/nonexistent\/dir does not exist/],
    [dir, /is a folder; give a file name/],
    [join(dir, 'r.html', 'x'), /does not exist/],
  ])('refuses %s as bad input (exit 2)', (path, msg) => {
    try {
      checkOutputPath(path);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FfeError);
      expect((e as FfeError).exitCode).toBe(2);
      expect((e as FfeError).message).toMatch(msg);
    }
  });

  it('accepts a new file in an existing folder', () => {
    expect(() => checkOutputPath(join(dir, 'r.html'))).not.toThrow();
  });
});
