import type { FfeApi } from '../../application/api.js';
import type { Permission } from '../../application/auth/roles.js';

/** A bot command: the permission it needs and the text it answers with (one FfeApi call each). */
export interface Command {
  permission: Permission;
  description: string;
  run(api: FfeApi): Promise<string>;
}

const money = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '-');

export const COMMANDS: Record<string, Command> = {
  status: {
    permission: 'read',
    description: 'agent state, equity, positions, kill switch',
    async run(api) {
      const s = await api.bot.status();
      return [
        `agent: ${s.state} (${s.ooda_state ?? '-'}), requested ${s.requested_state}`,
        `portfolio: ${money(s.portfolio_value)}, daily P&L ${money(s.daily_pnl)}`,
        `open positions: ${s.open_positions}, trades today: ${s.trades_today}`,
        `kill switch: ${s.kill_switch.tripped ? `TRIPPED (${s.kill_switch.reason})` : 'clear'}`,
      ].join('\n');
    },
  },
  positions: {
    permission: 'read',
    description: 'open positions',
    async run(api) {
      const ps = await api.bot.positions();
      if (!ps.length) return 'no open positions';
      return ps.map((p) => JSON.stringify(p)).join('\n');
    },
  },
  pnl: {
    permission: 'read',
    description: 'closed-trade P&L, win rate, fees',
    async run(api) {
      const { summary: s } = await api.insight.monitorMetrics(0);
      return [`closed trades: ${s.trades}`, `P&L: ${money(s.pnl)} (fees ${money(s.fees)})`, `win rate: ${s.winRate === null ? '-' : `${(s.winRate * 100).toFixed(1)}%`}`].join('\n');
    },
  },
  weights: {
    permission: 'read',
    description: 'ensemble provider weights',
    async run(api) {
      const w = await api.insight.memoryWeights(false);
      const entries = Object.entries(w.weights as Record<string, number>);
      return entries.length ? entries.map(([k, v]) => `${k}: ${v.toFixed(3)}`).join('\n') : 'no provider weights yet';
    },
  },
};

export const HELP = [
  '/status — agent state, equity, kill switch',
  '/positions — open positions',
  '/pnl — closed-trade P&L',
  '/weights — provider weights',
  '/stop — stop the agent (operator)',
  '/emergency — emergency stop, asks to confirm (operator)',
  '/help — this list',
  'Approval cards: Approve / Reject (trader).',
].join('\n');
