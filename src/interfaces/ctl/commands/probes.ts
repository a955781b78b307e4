import type { Command } from 'commander';
import type { Ctl } from '../context.js';
import { CtlError } from '../errors.js';
import { table } from '../../cli/format.js';
import { inline } from '../render.js';

const PROBES = ['health', 'ready', 'live'] as const;

/** A sample line of the Prometheus text format `name{labels} value`, and the metric it belongs to. */
const metricName = (line: string): string | null => {
  if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) return line.split(' ')[2] ?? null;
  if (line.startsWith('#') || !line.trim()) return null;
  return /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line)?.[0] ?? null;
};

/** `ffe-ctl health check` (the three probes) and `ffe-ctl metrics show`. */
export function registerProbes(program: Command, ctl: Ctl): void {
  program
    .command('health')
    .description('the server’s probes')
    .command('check')
    .description('/health, /ready and /live; exits 1 unless all three answer 2xx')
    .action(async (_o: unknown, cmd: Command) => {
      const client = ctl.client(cmd);
      const results: { probe: string; http_status: number; ok: boolean; body: unknown }[] = [];
      for (const p of PROBES) {
        const r = await client.request('GET', `/${p}`, { auth: false, acceptAnyStatus: true });
        results.push({ probe: p, http_status: r.status, ok: r.status >= 200 && r.status < 300, body: r.body });
      }
      ctl.show(cmd, results, () => [
        `${client.baseUrl}`,
        table(
          ['probe', 'HTTP', 'ok', 'detail'],
          results.map((r) => [`/${r.probe}`, r.http_status, r.ok ? 'yes' : 'NO', inline(r.body)]),
        ),
      ]);
      const bad = results.filter((r) => !r.ok);
      if (bad.length) throw new CtlError(`not healthy: ${bad.map((r) => `/${r.probe} answered ${r.http_status}`).join(', ')}`, 1);
    });

  program
    .command('metrics')
    .description('the server’s Prometheus metrics')
    .command('show')
    .description('print /metrics (Prometheus text)')
    .option('--grep <name>', 'only metrics whose name contains NAME')
    .action(async (o: { grep?: string }, cmd: Command) => {
      const res = await ctl.client(cmd).request('GET', '/metrics', { headers: { accept: 'text/plain' } });
      const lines = res.text.split('\n').filter((l) => l.trim() !== '');
      const kept = o.grep ? lines.filter((l) => metricName(l)?.includes(o.grep as string)) : lines;
      if (ctl.json(cmd)) {
        const samples = kept
          .filter((l) => !l.startsWith('#'))
          .map((l) => {
            const m = /^(\S+?)(\{.*\})?\s+(\S+)(\s+\d+)?$/.exec(l);
            return m ? { metric: m[1], labels: m[2] ?? '', value: Number(m[3]) } : { metric: l, labels: '', value: null };
          });
        return ctl.out.json(samples.map((s) => ({ ...s, value: Number.isFinite(s.value) ? s.value : String(s.value) })));
      }
      if (o.grep && !kept.length) throw new CtlError(`no metric matches --grep ${o.grep}`, 1);
      ctl.out.line(kept.join('\n'));
    });
}
