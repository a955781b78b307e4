import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { iso } from '../format.js';
import { agentEventLine } from '../agent-log.js';
import { globals, print, printJson, withApi } from '../run.js';

/** `ffe agent status`, `ffe agent emergency-stop`, `ffe agent clear-kill-switch`: the agent's stored state, the operator's stop and audited clear. */
export function registerAgent(program: Command): void {
  const agent = program.command('agent').description('the trading agent: stored run state, kill switch');
  agent
    .command('status')
    .description('the last run, the kill switch and recent events')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const s = await api.agent.status();
        if (o.json) return printJson(s);
        const ks = s.killSwitch;
        print(ks.tripped ? `kill switch TRIPPED at ${iso(ks.trippedAt)}: ${ks.reason}` : `kill switch armed${ks.cleared ? ` (last cleared ${iso(ks.cleared.at)} by ${ks.cleared.by}: ${ks.cleared.reason})` : ''}`);
        print(s.run ? `run ${s.run.runId}: ${s.run.status} in ${s.run.state}${s.run.haltReason ? ` (${s.run.haltReason})` : ''}, cycle ${s.run.cycle}` : 'the agent has not run on this store');
        for (const e of s.events) print(agentEventLine(e, globals(cmd).verbose === true));
      });
    });
  agent
    .command('emergency-stop')
    .description('halt trading now: trips the kill switch, so an agent running in any process on this data home halts before its next order; stays halted until clear-kill-switch')
    .option('--reason <text>', 'why (recorded)', 'emergency stop from the command line')
    .option('--by <name>', 'who stops it (default: the OS user)')
    .option('--close-positions', 'also close every open position through the order path')
    .option('--json', 'print JSON')
    .action(async (o: { reason: string; by?: string; closePositions?: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const s = await api.agent.emergencyStop(o.by ?? userInfo().username, o.reason, { closePositions: o.closePositions });
        if (o.json) return printJson(s);
        const ks = s.killSwitch;
        print(s.alreadyTripped ? `kill switch was already TRIPPED at ${iso(ks.trippedAt)}: ${ks.reason}; trading stays halted` : `emergency stop recorded: kill switch TRIPPED at ${iso(ks.trippedAt)}: ${ks.reason}`);
        print(s.agentRunning ? `agent run ${s.agentRunning} halts before its next order` : 'no agent run is marked running; every start stays halted');
        for (const c of s.closed) print(`closed ${c.pair} (${c.positionId}): ${c.status}`);
        print('trading resumes only after `ffe agent clear-kill-switch --reason "..."`');
      });
    });
  agent
    .command('clear-kill-switch')
    .description('re-arm trading after the kill switch tripped (recorded: who, when, why)')
    .requiredOption('--reason <text>', 'why trading may resume')
    .option('--by <name>', 'who clears it (default: the OS user)')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (o: { reason: string; by?: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const s = await api.agent.clearKillSwitch(o.by ?? userInfo().username, o.reason);
        if (o.json) return printJson(s);
        print(`kill switch cleared by ${s.cleared!.by} at ${iso(s.cleared!.at)}: ${s.cleared!.reason}; the next agent start measures its loss from its own equity`);
      });
    });
}
