import { z } from 'zod';
import { field } from '../meta.js';

/** Users, login tokens and MFA of `ffe serve` (users and API keys themselves live in the store: `ffe user`, `ffe apikey`). */
export const authSection = z.strictObject({
  require_mfa_for_admin: field(z.boolean().default(false), { description: 'admins must enrol TOTP MFA (`ffe user mfa enroll NAME`) before they can log in' }),
  access_ttl_seconds: field(z.number().int().min(30).max(86_400).default(900), { description: 'lifetime of an access token (JWT) issued at login or refresh' }),
  refresh_ttl_seconds: field(
    z
      .number()
      .int()
      .min(60)
      .default(30 * 86_400),
    { description: 'lifetime of a refresh token; each refresh replaces it with a new one' },
  ),
  lockout: z
    .strictObject({
      max_failures: field(z.number().int().min(1).default(5), { description: 'failed logins in a row after which the user name is locked' }),
      base_delay_ms: field(z.number().int().min(0).default(1000), { description: 'wait imposed after the first failed login; doubles with each further failure' }),
      lockout_seconds: field(z.number().int().min(1).default(900), { description: 'how long a locked user name stays locked' }),
    })
    .prefault({}),
  jwt_secret: field(z.string().min(32).nullable().default(null), {
    secret: true,
    env: 'FFE_JWT_SECRET',
    description: 'HS256 key signing access tokens, at least 32 characters (null: one is generated once and kept in the store)',
  }),
});
