import type { LiveBus } from '../live/bus.ts';

/**
 * Panel answers shared between viewers of the same scope (issue 19): a wall of 1,000 open
 * boards asks the same panels again on every value posted; the first asks the database, the
 * others get its answer. An answer lasts until the next change: a value saved on this instance
 * (`forget`, called after its commit and before its answer), any live event (a value saved on
 * another instance, an alert, a task, weights), and at most `maxAgeMs`, which bounds what a page
 * opened on one instance between another's commit and its event can be shown. Answers are kept
 * only while the live bus is subscribed: without its events nothing says when they go stale.
 */
export class PanelCache<T> {
  private readonly entries = new Map<
    string,
    { generation: number; at: number; value: Promise<T> }
  >();
  /** Bumped by every live event: an answer computed under an older generation is not served. */
  private generation = 0;
  private listening = false;
  private subscribing?: Promise<void>;

  constructor(
    private readonly bus: LiveBus | undefined,
    private readonly maxAgeMs = 2_000,
    private readonly maxEntries = 5_000,
  ) {}

  private listen() {
    if (!this.bus || this.subscribing) return;
    this.subscribing = this.bus
      .subscribe(() => this.forget())
      .then(() => {
        this.listening = true;
      })
      .catch(() => {
        // Not listening: answers are read afresh; the next call tries again.
        this.subscribing = undefined;
      });
  }

  /** Every answer is stale: none is served again. */
  forget(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The answer for `key`: shared while fresh, else `compute()` (one at a time per key). */
  get(key: string, compute: () => Promise<T>): Promise<T> {
    this.listen();
    if (!this.listening) return compute();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation && now - hit.at < this.maxAgeMs) return hit.value;
    const generation = this.generation;
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { generation, at: now, value });
    // A failed read is not shared: the next viewer asks again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
