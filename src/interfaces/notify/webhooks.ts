import type { FfeApi } from '../../application/api.js';
import { NOTIFIED_EVENTS, notificationOf, notificationText, type Notification } from '../../application/notifications/model.js';
import { OutgoingQueue, type QueueOptions, type SendOutcome } from '../../application/notifications/outbox-queue.js';

/** Slack incoming-webhook body: the text (shown in notifications) and the same as blocks. */
export function slackBody(n: Notification): { text: string; blocks: unknown[] } {
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${n.title}*` } }];
  if (n.fields.length) blocks.push({ type: 'section', fields: n.fields.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) });
  return { text: notificationText(n), blocks };
}

/** Generic webhook body: the notification as JSON. */
export const jsonBody = (n: Notification) => ({ kind: n.kind, title: n.title, fields: Object.fromEntries(n.fields), text: notificationText(n), at: new Date(n.at).toISOString(), seq: n.seq });

/** One POST: 2xx is sent; 429/5xx/network errors retry (Retry-After honoured); other 4xx will never succeed. */
export async function postJson(url: string, body: unknown, timeoutMs = 10_000): Promise<SendOutcome> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true };
    const after = Number(res.headers.get('retry-after'));
    if (res.status === 429 || res.status >= 500) return { ok: false, ...(Number.isFinite(after) && after > 0 ? { retryAfterMs: after * 1000 } : {}) };
    return { ok: false, permanent: true };
  } catch {
    return { ok: false };
  }
}

export interface WebhookTarget {
  url: string;
  format: 'json' | 'slack';
}

/**
 * Webhook notifiers of a running server: each configured target gets every notification through
 * its own bounded queue, so a slow or dead endpoint never holds up trading or the others.
 */
export function startWebhookNotifiers(api: FfeApi, targets: WebhookTarget[], o: Pick<QueueOptions, 'max' | 'maxAttempts' | 'backoffMs'>) {
  const queues = targets.map((t) => new OutgoingQueue<Notification>((n) => postJson(t.url, t.format === 'slack' ? slackBody(n) : jsonBody(n)), o));
  const unsubscribe = api.events.subscribe((e) => {
    const n = notificationOf(e);
    if (n) for (const q of queues) q.push(n);
  }, NOTIFIED_EVENTS);
  return {
    queues,
    /** Pushes a notification that is no domain event (the daily summary). */
    push: (n: Notification) => queues.forEach((q) => q.push(n)),
    stop() {
      unsubscribe();
      for (const q of queues) q.stop();
    },
  };
}

/** The targets the config names. */
export function webhookTargets(c: { webhook_url: string | null; slack_webhook_url: string | null }): WebhookTarget[] {
  return [...(c.webhook_url ? [{ url: c.webhook_url, format: 'json' as const }] : []), ...(c.slack_webhook_url ? [{ url: c.slack_webhook_url, format: 'slack' as const }] : [])];
}
