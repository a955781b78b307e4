import type { FfeApi } from '../../application/api.js';
import { scheduleDailySummary } from '../../application/notifications/daily-summary.js';
import { FfeError } from '../../core/errors.js';
import { TelegramBot } from '../telegram/bot.js';
import { startWebhookNotifiers, webhookTargets } from './webhooks.js';

export interface Notifiers {
  telegram: TelegramBot | null;
  /** The Telegram webhook listener's address in webhook mode. */
  telegramWebhook: string | null;
  webhooks: number;
  stop(): Promise<void>;
}

/**
 * Starts what the config asks for: the Telegram bot (a token is set), the JSON and Slack
 * webhooks, and the daily summary on all of them. `ffe serve` calls this after the service
 * started and stops it before the service stops.
 */
export async function startNotifications(api: FfeApi, log: (msg: string) => void): Promise<Notifiers> {
  const { telegram: tg, notifications: nc, agent } = api.runtime.app.config;
  if (tg.bot_token && tg.chat_id === null) throw new FfeError('config', 'TELEGRAM_CONFIG_INVALID', 'telegram.chat_id: set the chat that gets approval cards and notifications (a bot token is set)');
  if (tg.bot_token && tg.mode === 'webhook' && !tg.webhook_secret)
    throw new FfeError('config', 'TELEGRAM_CONFIG_INVALID', 'telegram.webhook_secret: webhook mode needs a secret (Telegram sends it in X-Telegram-Bot-Api-Secret-Token; it is the only authentication)');
  const hooks = startWebhookNotifiers(api, webhookTargets(nc), { max: nc.queue_max, maxAttempts: nc.max_attempts });
  const telegram = tg.bot_token ? new TelegramBot(api, tg, { log }) : null;
  const started = telegram ? await telegram.start() : null;
  const stopSummary = tg.daily_summary_at
    ? scheduleDailySummary(api, tg.daily_summary_at, agent.timezone, (n) => {
        telegram?.notify(n);
        hooks.push(n);
      })
    : () => undefined;
  if (telegram) log(`telegram: bot started (${tg.mode}${started?.webhookUrl ? ` on ${started.webhookUrl}` : ''})`);
  return {
    telegram,
    telegramWebhook: started?.webhookUrl ?? null,
    webhooks: hooks.queues.length,
    async stop() {
      stopSummary();
      hooks.stop();
      await telegram?.stop();
    },
  };
}
