import type { LeaseRepository } from '../../store/port.js';

/** The store lease naming the one server that runs the agent among several sharing a store. */
export const LEADER_LEASE = 'leader';

export interface LeadershipHooks {
  /** This instance just became the leader: recover and resume what the leader runs. */
  gained(): Promise<void>;
  /** This instance is no longer the leader (another took the lease, or it is stepping down): stop what only the leader runs. */
  lost(reason: string): Promise<void>;
  /** One line per change of role (the server's log). */
  log?(message: string): void;
}

export interface LeadershipStatus {
  instance: string;
  role: 'leader' | 'follower';
  leader: string | null;
  leader_until: string | null;
  ttl_seconds: number;
}

/**
 * Leader election among servers sharing one store, on the store's lease (one row per name, taken
 * atomically under the store's single-writer transaction on SQLite and PostgreSQL alike): the
 * holder renews every third of the TTL; a holder that stops renewing (killed, hung, cut off) is
 * replaced once its lease expired, so the failover time is at most TTL plus one renewal period.
 *
 * Why a lease in the store rather than a Redis lock: the store is the resource the agent writes
 * (its order intents go there before any venue call), so the lease doubles as the fence. Before
 * each agent order `confirm()` renews it: true only while no other instance took it, and a
 * successful renewal keeps it ours for another TTL. A paused leader that wakes after losing the
 * lease is refused before its order reaches the journal.
 */
export class Leadership {
  private leader = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly leases: LeaseRepository,
    readonly instance: string,
    readonly ttlMs: number,
    private readonly hooks: LeadershipHooks,
    private readonly now: () => number = Date.now,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** Takes part in the election: tries at once, then every third of the TTL. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(250, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** One election round, never two at once. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.round()).catch((e: unknown) => this.hooks.log?.(`leadership: ${(e as Error).message}`));
    return this.ticking;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    if (this.leader) {
      // A store that cannot be reached keeps us leader: nobody else can take the lease meanwhile, and the agent cannot trade without the store either.
      if (!(await this.leases.renew(LEADER_LEASE, this.instance, this.ttlMs, this.now()))) await this.demote('another instance took the leader lease');
      return;
    }
    if (await this.leases.tryAcquire(LEADER_LEASE, this.instance, this.ttlMs, this.now())) {
      this.leader = true;
      this.hooks.log?.(`leadership: ${this.instance} is the leader`);
      await this.hooks.gained();
    }
  }

  private async demote(reason: string): Promise<void> {
    if (!this.leader) return;
    this.leader = false;
    this.hooks.log?.(`leadership: ${this.instance} is no longer the leader (${reason})`);
    await this.hooks.lost(reason);
  }

  /**
   * The fence, checked before each agent order: renews the lease, true while it is still ours.
   * A false answer also steps this instance down.
   */
  async confirm(): Promise<boolean> {
    if (!this.leader) return false;
    if (await this.leases.renew(LEADER_LEASE, this.instance, this.ttlMs, this.now())) return true;
    // Not awaited: stepping down stops the agent, which waits for the very order asking here.
    void this.demote('the leader lease was lost before an order').catch((e: unknown) => this.hooks.log?.(`leadership: ${(e as Error).message}`));
    return false;
  }

  async status(): Promise<LeadershipStatus> {
    const h = await this.leases.holder(LEADER_LEASE, this.now());
    return {
      instance: this.instance,
      role: this.leader ? 'leader' : 'follower',
      leader: h?.holder ?? null,
      leader_until: h ? new Date(h.expiresAt).toISOString() : null,
      ttl_seconds: this.ttlMs / 1000,
    };
  }

  /** Leaves the election: stops what the leader runs (`lost`), then gives the lease up so a follower takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    if (!this.leader) return;
    await this.demote('shutting down');
    await this.leases.release(LEADER_LEASE, this.instance);
  }
}
