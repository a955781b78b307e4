import { z } from 'zod';
import { field } from '../meta.js';
import { httpUrl } from '../url.js';

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A Telegram account allowed to act, and the FFE user it acts as (its role decides what it may do). */
const telegramUser = z.strictObject({
  telegram_id: field(z.number().int(), { description: "the person's Telegram user id (not a user name: ids never change)" }),
  ffe_user: field(z.string().min(1), { description: 'the FFE user name it acts as (recorded in the audit log)' }),
  role: field(z.enum(['viewer', 'analyst', 'trader', 'operator', 'admin', 'auditor']).default('viewer'), {
    description: 'role of this Telegram account: a viewer sees, a trader approves, an operator may emergency-stop',
  }),
});

export const telegramSection = z.strictObject({
  bot_token: field(z.string().default(''), { env: 'TELEGRAM_BOT_TOKEN', secret: true, description: 'bot token from @BotFather (empty: no Telegram bot)' }),
  chat_id: field(
    z
      .union([z.number().int(), z.string().min(1)])
      .nullable()
      .default(null),
    { description: 'chat that receives approval cards and notifications (a user, group or channel id)' },
  ),
  users: field(z.array(telegramUser).default([]), { description: 'Telegram accounts allowed to act; anyone else is refused' }),
  mode: field(z.enum(['polling', 'webhook']).default('polling'), { description: 'long polling (no inbound port needed) or a webhook on `ffe serve` (POST /telegram/webhook)' }),
  webhook_secret: field(z.string().default(''), { env: 'TELEGRAM_WEBHOOK_SECRET', secret: true, description: 'secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (required in webhook mode)' }),
  webhook_url: field(httpUrl().nullable().default(null), { description: 'public URL Telegram posts updates to in webhook mode (null: set it with setWebhook yourself)' }),
  webhook_host: field(z.string().min(1).default('127.0.0.1'), { description: 'address the webhook listener binds in webhook mode (put a TLS proxy in front: Telegram posts to HTTPS only)' }),
  webhook_port: field(z.number().int().min(0).max(65535).default(8443), { description: 'port of the webhook listener in webhook mode (0: any free port)' }),
  api_root: field(httpUrl().default('https://api.telegram.org'), { description: 'Bot API root (tests point it at a local fake)' }),
  daily_summary_at: field(z.string().regex(hhmm, 'HH:MM, 24-hour').nullable().default(null), { description: 'time of the daily summary in agent.timezone, "HH:MM" (null: none)' }),
  queue_max: field(z.number().int().min(1).default(500), { description: 'outgoing messages kept while Telegram is unreachable; the oldest are dropped (and counted) beyond this' }),
});
