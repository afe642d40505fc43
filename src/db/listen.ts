import pg from 'pg';

/**
 * A connection of its own to the server (not the pool) that LISTENs on one channel: the pool
 * would hand its connection to others, and notifications come only to the listening one.
 */
export class ListenConnection {
  private readonly client: pg.Client;

  constructor(url: string) {
    this.client = new pg.Client({ connectionString: url, keepAlive: true });
  }

  onError(fn: (e: Error) => void): void {
    this.client.on('error', fn);
  }

  onEnd(fn: () => void): void {
    this.client.on('end', fn);
  }

  onNotification(fn: (channel: string, payload: string | undefined) => void): void {
    this.client.on('notification', (n) => fn(n.channel, n.payload));
  }

  /** Connects, then listens on `channel` (a fixed identifier, not user input). */
  async listen(channel: string): Promise<void> {
    await this.client.connect();
    await this.client.query(`LISTEN ${channel}`);
  }

  end(): Promise<void> {
    return this.client.end();
  }
}
