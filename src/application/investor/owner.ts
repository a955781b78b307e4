import { inputError } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';
import { principalLabel, type Principal } from '../auth/principal.js';
import type { Runtime } from '../runtime.js';

/**
 * Whose investor data a call is about: the caller's principal label (`user:alice`, `api_key:ci`).
 * A user reaches the same rows over the API, the CLI (`--user alice`) and Telegram (whose
 * accounts act as their `ffe_user`), because all three name the user `user:<name>`.
 */
export const ownerOf = (p: Principal): string => principalLabel(p);

/** The owner label of an FFE user by name, for GDPR subjects and Telegram accounts. */
export const userOwner = (name: string): string => `user:${name}`;

/** The FFE user a CLI `--user NAME` means, as a principal (USER_NOT_FOUND when there is none). */
export async function userPrincipal(rt: Runtime, name: string): Promise<Principal> {
  const u = await rt.app.store.auth.userByName(name);
  if (!u) throw inputError('USER_NOT_FOUND', `no user named "${name}" (\`ffe user list\`)`);
  return { kind: 'user', id: u.id, name: u.name, role: u.role as Principal['role'] };
}

const PERSONAL_EVENTS = new Set<string>(['RecommendationCreated', 'RecommendationOutcomeMeasured']);

/** Whether a subscriber may see an event: a recommendation's events go to its owner only; every other event to every reader. */
export const eventVisibleTo = (e: Pick<DomainEvent, 'type' | 'payload'>, p: Principal): boolean => !PERSONAL_EVENTS.has(e.type) || e.payload.owner === ownerOf(p);
