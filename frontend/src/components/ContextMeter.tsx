import type { AiUsageToday, BudgetToday, TokenUsage } from '../api/types';
import { formatTokens, formatUsd, totalTokens } from '../modules/agentTurn';

export interface MeterState {
  context?: { usedTokens: number; windowTokens: number } | null;
  conversation?: TokenUsage | null;
  cacheHitRate?: number | null;
}

/** The share of reads served from the prompt cache: cache reads over all input tokens. */
export function cacheHitRateOf(u: TokenUsage): number | null {
  const input = u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens;
  return input > 0 ? u.cacheReadInputTokens / input : null;
}

function budgetText(who: string, b: BudgetToday): string {
  if (b.budgetTokens <= 0)
    return `${who}: ${formatTokens(b.usedTokens)} tokens today (${formatUsd(b.costUsd)}), no daily limit`;
  const left = Math.max(0, b.budgetTokens - b.usedTokens);
  return `${who}: ${formatTokens(left)} of ${formatTokens(b.budgetTokens)} tokens left today (${formatUsd(b.costUsd)} spent)`;
}

/** Context used versus the model's window, what the conversation cost, the cache, today's budgets. */
export function ContextMeter({ meter, today }: { meter: MeterState; today: AiUsageToday | null }) {
  const ctx = meter.context;
  const pct =
    ctx && ctx.windowTokens > 0 ? Math.min(100, (100 * ctx.usedTokens) / ctx.windowTokens) : null;
  const level = pct === null ? '' : pct >= 90 ? ' full' : pct >= 70 ? ' high' : '';
  const conv = meter.conversation;
  const rate = meter.cacheHitRate ?? (conv ? cacheHitRateOf(conv) : null);
  const userLeft =
    today && today.today.user.budgetTokens > 0
      ? Math.max(0, today.today.user.budgetTokens - today.today.user.usedTokens)
      : null;
  return (
    <div className="context-meter" data-testid="context-meter">
      {ctx && ctx.windowTokens <= 0 && ctx.usedTokens > 0 && (
        <span data-testid="context-used">Context {formatTokens(ctx.usedTokens)} tokens</span>
      )}
      {ctx && ctx.windowTokens > 0 && (
        <div className="row" style={{ gap: 6 }}>
          <span>Context</span>
          <div
            className={`meter-bar${level}`}
            role="meter"
            aria-label="Context used of the model's window"
            aria-valuemin={0}
            aria-valuemax={ctx.windowTokens}
            aria-valuenow={ctx.usedTokens}
            aria-valuetext={`${ctx.usedTokens} of ${ctx.windowTokens} tokens`}
          >
            <span style={{ width: `${pct ?? 0}%` }} />
          </div>
          <span data-testid="context-used">
            {formatTokens(ctx.usedTokens)} / {formatTokens(ctx.windowTokens)}
            {pct !== null ? ` (${Math.round(pct)}%)` : ''}
          </span>
        </div>
      )}
      <div className="row meter-facts" style={{ flexWrap: 'wrap', gap: 8 }}>
        {conv && (
          <span data-testid="conversation-cost" title="Tokens and cost of this conversation">
            This chat: {formatTokens(totalTokens(conv))} tokens · {formatUsd(conv.costUsd)}
          </span>
        )}
        {rate !== null && (
          <span data-testid="cache-hit-rate" title="Input tokens read from the prompt cache">
            cache hits {Math.round(rate * 100)}%
          </span>
        )}
        {today && (
          <span
            data-testid="budget-left"
            className={userLeft === 0 ? 'minus' : undefined}
            title={[
              budgetText('You', today.today.user),
              budgetText('Project', today.today.project),
            ].join('\n')}
          >
            {userLeft === null
              ? `today ${formatUsd(today.today.user.costUsd)}, no limit`
              : `${formatTokens(userLeft)} tokens left today`}
            {today.today.project.budgetTokens > 0 &&
              ` · project ${formatTokens(Math.max(0, today.today.project.budgetTokens - today.today.project.usedTokens))} left`}
          </span>
        )}
      </div>
    </div>
  );
}
