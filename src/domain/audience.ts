import { inScope, isRootScope, type Scope } from './access.ts';

/**
 * Who may see what is sent to chosen units — a directive and everything under it (its tasks,
 * board, files, comments, reminders, live events and their replay). One rule:
 *
 * - the root (the nation) sees everything;
 * - the sender's side: a scope that holds the sender's unit (the issuer's unit and the units
 *   above it);
 * - the recipients' side: a scope that holds at least one recipient (the recipient and the
 *   units above it on its own path).
 *
 * Nobody else: not a unit merely under the recipients' common ancestor, not a unit under the
 * sender, not a unit under a recipient. Scopes of another tree never match (paths are per tree).
 *
 * The same rule in SQL, where rows are filtered: `DirectiveRepo.list` (the issuer's path under
 * the scope, or a task of the directive under it) and `LiveRepo.after` (the event's path under
 * the scope, or one of its recipients).
 */
export interface Addressed {
  version: string;
  /** The sender's unit (a directive's issuer). */
  senderPath: string;
}

/**
 * Whether `scope` sees an item sent from `item.senderPath`; `recipientUnder(path)` tells whether
 * a recipient lies at or under a path (asked at most once, with the scope's path).
 */
export function sees(
  scope: Scope,
  item: Addressed,
  recipientUnder: (path: string) => boolean,
): boolean {
  if (isRootScope(scope)) return true;
  if (scope.version !== item.version) return false;
  return item.senderPath.startsWith(scope.path) || recipientUnder(scope.path);
}

/**
 * Every path at or above the given ones ('/VN/79/26740/' → '/VN/', '/VN/79/', '/VN/79/26740/'):
 * the scopes on the recipients' side, so that `recipientUnder` is one set lookup. 10,599
 * communes give about 11,400 paths; shared ancestors are added once.
 */
export function pathsAbove(paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    // From the path itself up: once an ancestor is there, those above it are too.
    for (let end = p.length; end > 1; end = p.lastIndexOf('/', end - 2) + 1) {
      const prefix = p.slice(0, end);
      if (out.has(prefix)) break;
      out.add(prefix);
    }
  }
  return out;
}

/**
 * Whether a live event reaches a scope. An event sent to chosen units (`above` = `pathsAbove`
 * of its recipients: a directive, a reminder) follows the rule above with its path as the
 * sender's unit; any other event reaches the scopes that hold its unit.
 */
export function reaches(
  event: { version: string; path: string; above?: ReadonlySet<string> | null },
  scope: Scope,
): boolean {
  const above = event.above;
  if (!above) return inScope(scope, event);
  return sees(scope, { version: event.version, senderPath: event.path }, (p) => above.has(p));
}
