import type { Command } from 'commander';
import { count, iso, num, pct, ratio, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export function registerFundamentals(program: Command): void {
  const f = program.command('fundamentals').description('stock fundamentals (earnings, income statements, overview) from Alpha Vantage, stored point in time (docs/fundamentals.md)');
  f.command('fetch')
    .description('fetch OVERVIEW, EARNINGS and INCOME_STATEMENT of each ticker and store them (needs ALPHA_VANTAGE_API_KEY; three rate-limited calls per ticker)')
    .argument('<symbols...>', 'stock tickers, e.g. IBM AAPL')
    .option('--json', 'print JSON')
    .action(async (symbols: string[], o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const done = await api.fundamentals.fetch(symbols);
        if (o.json) return printJson(done);
        print(
          table(
            ['symbol', 'records', 'earnings quarters', 'newest report', 'fetched'],
            done.map((d) => [d.symbol, count(d.records), count(d.earningsQuarters), d.latestReport ?? '-', iso(d.fetchedAt)]),
          ),
        );
      });
    });
  f.command('show')
    .description('what a decision at a moment sees: valuation, growth and earnings surprises published by then; without a symbol, the tickers stored')
    .argument('[symbol]', 'stock ticker')
    .option('--as-of <date>', 'decision time (YYYY-MM-DD: the end of that day UTC; or ISO 8601); default now')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (symbol: string | undefined, o: { asOf?: string; json?: boolean }, cmd: Command) => {
      // Parsed before anything opens, so a bad date fails alone (exit 2).
      const { parseAsOf } = await import('../../../application/vocabulary.js');
      const asOf = o.asOf === undefined ? undefined : parseAsOf(o.asOf);
      await withApi(cmd, async (api) => {
        if (symbol === undefined) {
          const list = await api.fundamentals.list();
          if (o.json) return printJson(list);
          if (!list.length) return print('no fundamentals stored: `ffe fundamentals fetch SYMBOL` fetches them');
          return print(
            table(
              ['symbol', 'records', 'last fetched'],
              list.map((s) => [s.symbol, count(s.records), iso(s.lastFetchedAt)]),
            ),
          );
        }
        const r = await api.fundamentals.show(symbol, asOf);
        if (o.json) return printJson(r);
        const s = r.section;
        if (!s) return print(`${r.symbol}: nothing published by ${iso(r.asOf)} is stored (\`ffe fundamentals fetch ${r.symbol}\`)`);
        const v = s.valuation;
        const g = s.growth;
        print(`${s.symbol} as of ${iso(s.asOf)}; newest report ${s.latestReport ?? '-'}`);
        print(`price ${num(r.price)} (${r.priceNote})`);
        print(`valuation: P/E ${ratio(v.pe)} (trailing EPS ${num(v.trailingEps)}), PEG ${ratio(v.peg)}, P/B ${ratio(v.priceToBook)}`);
        print(`growth YoY (quarter ending ${g.quarter ?? '-'}): revenue ${pct(g.revenueYoY, 1)}, net income ${pct(g.netIncomeYoY, 1)}, EPS ${pct(g.epsYoY, 1)}`);
        print(
          table(
            ['quarter', 'reported', 'EPS', 'estimate', 'surprise'],
            s.surprises.map((q) => [q.fiscalDateEnding, q.reportedDate, num(q.reportedEps), num(q.estimatedEps), q.surprisePercent === null ? '-' : `${num(q.surprisePercent, 2)}%`]),
          ),
        );
        if (s.overview)
          print(`overview fetched ${iso(s.overview.fetchedAt)}: P/E ${ratio(s.overview.peRatio)}, PEG ${ratio(s.overview.pegRatio)}, P/B ${ratio(s.overview.priceToBook)}, market cap ${num(s.overview.marketCap, 0)}`);
      });
    });
}
