import { z } from 'zod';
import { field } from '../meta.js';
import { urlSetting } from '../url.js';

/** `ffe serve`: where the API listens and the limits every request meets. */
export const serverSection = z.strictObject({
  host: field(z.string().min(1).default('127.0.0.1'), { description: 'address `ffe serve` binds (a non-loopback one is refused while no user or API key exists)' }),
  port: field(z.number().int().min(0).max(65535).default(8000), { description: 'port `ffe serve` listens on (0: any free port)' }),
  cors_origins: field(z.array(z.string().min(1)).default([]), { description: 'origins allowed to call the API from a browser (empty: none)' }),
  body_limit_bytes: field(z.number().int().min(1024).max(104_857_600).default(1_048_576), { description: 'largest request body accepted (413 above)' }),
  rate_limit: z
    .strictObject({
      max: field(z.number().int().min(1).default(100), { description: 'requests per window per API key, token or address (429 above)' }),
      window_seconds: field(z.number().positive().default(60), { description: 'rate limit window' }),
    })
    .prefault({}),
  redis_url: field(urlSetting(['redis', 'rediss']).nullable().default(null), {
    description: 'Redis shared by several servers: the rate limit, and prompt fan-out of domain events to WebSocket clients of every instance (null: in-process counts; events reach other instances by polling the store)',
  }),
  instance_id: field(
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .nullable()
      .default(null),
    {
      description: 'this server among several sharing one store: named in leadership, status and logs (null: host name and process id)',
    },
  ),
  leader_ttl_seconds: field(z.number().min(2).max(300).default(10), {
    description: 'servers sharing one store elect one leader to run the agent; a leader that stops renewing for this long is replaced (the failover time)',
  }),
  trust_proxy: field(z.boolean().default(false), { description: 'take the client address from X-Forwarded-For (only behind a proxy you run)' }),
});
