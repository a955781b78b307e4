import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { dyingWithParent } from './redis.js';

/** Running: the process exists and is not a zombie (a container's init may never reap an orphan). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('test servers die with the process that started them', () => {
  it.runIf(process.platform === 'linux')('a server started through dyingWithParent ends when its parent is SIGKILLed (no teardown ran)', async () => {
    // The parent: a node process that starts the "server" (sleep), prints its pid and waits.
    const [command, args] = dyingWithParent('sleep', ['300'], 'TERM');
    expect(command).toBe('/usr/bin/setpriv');
    const parent = spawn(
      process.execPath,
      ['-e', "const c = require('node:child_process').spawn(process.argv[1], JSON.parse(process.argv[2]), { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);", command, JSON.stringify(args)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const pid = Number(await new Promise<string>((resolve) => createInterface({ input: parent.stdout! }).once('line', resolve)));
    expect(running(pid)).toBe(true);
    parent.kill('SIGKILL');
    for (const deadline = Date.now() + 10_000; running(pid) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    expect(running(pid)).toBe(false);
  });

  it('without setpriv the command runs as it is', () => {
    expect(dyingWithParent('redis-server', ['--port', '1'], 'TERM', '/nonexistent/setpriv')).toEqual(['redis-server', ['--port', '1']]);
    expect(dyingWithParent('redis-server', ['--port', '1'], 'INT', '/usr/bin/env')).toEqual(['/usr/bin/env', ['--pdeathsig', 'INT', '--', 'redis-server', '--port', '1']]);
  });
});
