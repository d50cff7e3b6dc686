/**
 * Login rate limiting per (username, IP): after `maxFailures` failures within `windowMs` the pair is refused
 * until the window passes. In memory on purpose: one process per province, and a restart forgetting
 * counters only helps a locked-out user.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 15 * 60 * 1000,
  ) {}

  private key(username: string, ip: string | null | undefined): string {
    return `${username.toLowerCase()}\u0000${ip ?? ''}`;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfter(username: string, ip: string | null | undefined, now: number): number {
    const list = this.recent(this.key(username, ip), now);
    if (list.length < this.maxFailures) return 0;
    return Math.ceil((this.windowMs - (now - (list[0] ?? now))) / 1000);
  }

  fail(username: string, ip: string | null | undefined, now: number): void {
    // Someone cycling through made-up usernames must not grow this map without bound.
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.recent(k, now);
    const key = this.key(username, ip);
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeed(username: string, ip: string | null | undefined): void {
    this.failures.delete(this.key(username, ip));
  }
}
