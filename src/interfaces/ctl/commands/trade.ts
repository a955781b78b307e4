import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import { fraction, pair, positive, unitInterval, weights, wholeCount } from '../args.js';
import type { Ctl } from '../context.js';
import { CtlError } from '../errors.js';
import { render } from '../render.js';

/** `ffe-ctl trade` (a manual order through the server's risk gate) and `ffe-ctl config update`. */
export function registerTrade(program: Command, ctl: Ctl): void {
  program
    .command('trade')
    .description('place a manual order through the risk gate (trader role); a retry never places a second order')
    .requiredOption('--pair <pair>', 'asset pair, e.g. BTCUSD', pair)
    .addOption(new Option('--side <side>', 'buy or sell').choices(['buy', 'sell']).makeOptionMandatory())
    .requiredOption('--size <units>', 'units of the base asset', positive)
    .option('--price <price>', 'limit price (default: market)', positive)
    .option('--stop-loss <price>', 'stop-loss price', positive)
    .option('--take-profit <price>', 'take-profit price', positive)
    .action(async (o: { pair: string; side: 'buy' | 'sell'; size: number; price?: number; stopLoss?: number; takeProfit?: number }, cmd: Command) => {
      const body = { asset_pair: o.pair, action: o.side.toUpperCase(), size: o.size, price: o.price, stop_loss: o.stopLoss, take_profit: o.takeProfit };
      // One key per invocation, reused by the client's own retry: the server places the order once.
      const res = await ctl.client(cmd).post('/api/v1/bot/manual-trade', body, { headers: { 'idempotency-key': randomUUID() } });
      ctl.show(cmd, res, (b) => [`${o.side} ${o.size} ${o.pair} sent`, render(b)]);
    });

  program
    .command('config')
    .description('the running agent’s live settings')
    .command('update')
    .description('change risk and ensemble settings live; validated and audited by the server (operator role)')
    .option('--stop-loss <fraction>', 'stop loss as a fraction (0.025 is 2.5%)', fraction)
    .option('--position-size <fraction>', 'position size as a fraction of the portfolio', fraction)
    .option('--confidence <0..1>', 'minimum decision confidence to act on', unitInterval)
    .option('--max-trades <n>', 'maximum concurrent trades', wholeCount)
    .option('--weights <name=w,...>', 'provider weights, e.g. rules=0.6,ollama=0.4', weights)
    .action(async (o: { stopLoss?: number; positionSize?: number; confidence?: number; maxTrades?: number; weights?: Record<string, number> }, cmd: Command) => {
      const body = { stop_loss_pct: o.stopLoss, position_size_pct: o.positionSize, confidence_threshold: o.confidence, max_concurrent_trades: o.maxTrades, provider_weights: o.weights };
      if (Object.values(body).every((v) => v === undefined)) throw new CtlError('config update: give at least one of --stop-loss, --position-size, --confidence, --max-trades, --weights', 2);
      const res = await ctl.client(cmd).request('PATCH', '/api/v1/bot/config', { body });
      ctl.show(cmd, res.body, (b) => ['config updated', render(b)]);
    });
}
