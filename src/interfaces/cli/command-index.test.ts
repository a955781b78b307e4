import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES } from './command-index.js';
import { buildProgram } from './main.js';

describe('command index (what `ffe --help` lists without loading the command modules)', () => {
  it('lists exactly what the modules register: same help text as with every module loaded', async () => {
    const placeholders = (await buildProgram('', null)).helpInformation();
    const full = (await buildProgram('', 'all')).helpInformation();
    expect(placeholders).toBe(full);
    expect(full).toMatch(/analyze \[options\] <pair>/);
  });

  it("maps every command to the module that registers it: loading one command's module gives its real help", async () => {
    const full = await buildProgram('', 'all');
    for (const [name] of COMMAND_MODULES.flatMap((m) => m.commands)) {
      const one = (await buildProgram('', name)).commands.find((c) => c.name() === name)!;
      const real = full.commands.find((c) => c.name() === name)!;
      expect({ name, help: one.helpInformation() }).toEqual({ name, help: real.helpInformation() });
    }
  });
});
