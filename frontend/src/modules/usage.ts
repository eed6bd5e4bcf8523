/** Reporting periods of the AI spend report. */
export type Period = 'today' | '7d' | '30d' | 'all';

/** The first UTC day of a period, as the usage report's `from` filter takes it. */
export function periodStart(period: Period, now = new Date()): string | undefined {
  const back = { today: 0, '7d': 6, '30d': 29, all: null }[period];
  if (back === null) return undefined;
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back));
  return d.toISOString().slice(0, 10);
}

/** Dollars with cents, and with enough digits that a cheap day does not read as $0.00. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
