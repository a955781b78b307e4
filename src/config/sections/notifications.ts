import { z } from 'zod';
import { field } from '../meta.js';
import { httpUrl } from '../url.js';

// Both URLs are secrets: a Slack incoming-webhook URL is its own credential, and a generic one often carries a token.
export const notificationsSection = z.strictObject({
  webhook_url: field(httpUrl().nullable().default(null), { env: 'FFE_NOTIFY_WEBHOOK_URL', secret: true, description: 'URL that gets each notification as a JSON POST (null: none)' }),
  slack_webhook_url: field(httpUrl().nullable().default(null), { env: 'FFE_NOTIFY_SLACK_URL', secret: true, description: 'Slack incoming-webhook URL that gets each notification as `{text, blocks}` (null: none)' }),
  queue_max: field(z.number().int().min(1).default(500), { description: 'notifications kept per webhook while it is unreachable; the oldest are dropped (and counted) beyond this' }),
  max_attempts: field(z.number().int().min(1).default(8), { description: 'tries per notification before it is dropped' }),
});
