/** Which account an order goes to. */
export type AccountMode = 'paper' | 'live';

export interface ModeChoice {
  mode: AccountMode;
  /** One line for the output: where orders go and why. */
  note: string;
}

/**
 * Live trading needs two keys turned: `trading.mode: live` in the config AND `--live` on the
 * command. Anything less trades on paper, and the note says why.
 */
export function resolveMode(configMode: AccountMode, liveFlag: boolean | undefined): ModeChoice {
  if (configMode === 'live' && liveFlag) return { mode: 'live', note: 'LIVE trading: orders go to the configured venue with real money' };
  if (liveFlag) return { mode: 'paper', note: 'PAPER trading: --live ignored because trading.mode is paper in the config' };
  if (configMode === 'live') return { mode: 'paper', note: 'PAPER trading: trading.mode is live but --live was not given' };
  return { mode: 'paper', note: 'PAPER trading (simulated account, no real money)' };
}
