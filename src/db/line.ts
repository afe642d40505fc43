import { AppError } from '../domain/errors.ts';
import { abandoned, acquired, currentDbContext, nextTicket } from './request-context.ts';

/**
 * The line for the embedded engine's one connection: it goes to the waiter with the oldest
 * ticket (request-context.ts), so the oldest request's next statement goes first and requests finish one after the other, instead
 * of every request's statements taking turns until all of them finish late together (and
 * their clients have given up). Work outside a request takes a ticket when it asks, behind
 * every request already in line.
 */
export class Line {
  private free: number;
  private readonly waiting: { ticket: number; grant: () => void }[] = [];

  constructor(permits: number) {
    this.free = permits;
  }

  async enter(): Promise<void> {
    const ctx = currentDbContext();
    // A request whose client left before it ever held a connection has changed nothing, and
    // read-only work changes nothing at all: it leaves the line (nobody would read its answer).
    const droppable = ctx?.signal && (!ctx.started || ctx.readOnly) ? ctx.signal : undefined;
    if (abandoned(ctx)) throw clientGone();
    if (this.free > 0) {
      this.free--;
      if (loopDue()) await turn(); // see leave()
    } else {
      const ticket = ctx?.ticket ?? nextTicket();
      await new Promise<void>((resolve, reject) => {
        const drop = () => {
          const at = this.waiting.indexOf(waiter);
          if (at < 0) return; // already granted
          this.waiting.splice(at, 1);
          reject(clientGone());
        };
        // Granted: the listener goes (a request's many statements would pile them up).
        const grant = () => {
          droppable?.removeEventListener('abort', drop);
          resolve();
        };
        const waiter = { ticket, grant };
        // Equal tickets (one request's parallel statements) keep their order of arrival.
        let i = this.waiting.length;
        while (i > 0 && this.waiting[i - 1]!.ticket > ticket) i--;
        this.waiting.splice(i, 0, waiter);
        droppable?.addEventListener('abort', drop, { once: true });
      });
    }
    acquired();
  }

  /**
   * Hands the connection to the next in line: nobody slips in between (the permit stays
   * taken). The handing waits for the event loop to turn: the embedded engine runs each
   * statement synchronously, and granting at once would chain statement after statement in
   * microtasks without the loop ever reading sockets — a busy line held every new request
   * (and its connection) outside the server for seconds.
   */
  leave(): void {
    const next = this.waiting.shift();
    if (!next) this.free++;
    else if (loopDue()) void turn().then(next.grant);
    else next.grant();
  }
}

/** Nobody reads it; an AppError, so that it is not logged as a fault of the server. */
export function clientGone(): AppError {
  return new AppError('busy', {
    vi: 'Máy khách đã ngắt kết nối trong khi yêu cầu chờ cơ sở dữ liệu',
    en: 'The client went away while its request waited for the database',
  });
}

/** How long statements may follow each other without the event loop turning. */
const TURN_MS = 10;
let turned = 0;

const loopDue = () => performance.now() - turned >= TURN_MS;

/** Lets the event loop turn (read sockets, accept connections) before the next statement. */
function turn(): Promise<void> {
  return new Promise<void>((resolve) =>
    setImmediate(() => {
      turned = performance.now();
      resolve();
    }),
  );
}
