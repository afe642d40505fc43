import type { DataValueRepo } from '../db/data-value.repo.ts';
import type { Store } from '../db/store.ts';

export interface UnitMap {
  /** By code, DHIS2 uid, and the code a unit added from DHIS2 has there. */
  byKey: Awaited<ReturnType<DataValueRepo['units']>>;
  /** Each unit once. */
  all: { id: number; code: string; path: string; level: number; full_name: string }[];
}

/** How long a tree read is used before it is read again. */
const MAX_AGE_MS = 60_000;

/**
 * Units of a version changed outside a units-file import (a metadata import added or moved
 * units): every UnitCache of this process reads that version's units again.
 */
const unitsChangedAt = new Map<string, number>();
let changes = 0;
export function unitsChanged(version: string): void {
  unitsChangedAt.set(version, ++changes);
}

interface Entry {
  at: number;
  units: Promise<UnitMap>;
  change: number | undefined;
  /** The read has ended (a read still running may be on another connection than a caller's transaction). */
  settled: boolean;
}

/**
 * Every unit of a tree by code (and DHIS2 uid), read at most once a minute per version: the
 * units of a tree change only by import, and analytics, alerts and data imports resolve many
 * codes per request. One cache per HierarchyService; the units-file import (`invalidate`) and
 * a metadata import that placed units (`unitsChanged`) make the next read go to the database.
 */
export class UnitCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: Store) {}

  /**
   * The units of `version`; `refresh` reads them again. Inside a transaction on PGlite (one
   * connection) `repo` must be the transaction's: a read still running elsewhere is not
   * waited for then, the units are read through `repo`.
   */
  get(version: string, refresh = false, repo?: DataValueRepo): Promise<UnitMap> {
    const hit = this.entries.get(version);
    const change = unitsChangedAt.get(version);
    if (
      !refresh &&
      hit &&
      hit.change === change &&
      Date.now() - hit.at < MAX_AGE_MS &&
      (hit.settled || !repo)
    )
      return hit.units;
    const units = (async () => {
      const byKey = await (repo ?? this.store.repos.dataValues).units(version);
      return { byKey, all: [...new Map([...byKey.values()].map((u) => [u.code, u])).values()] };
    })();
    const entry: Entry = { at: Date.now(), units, change, settled: false };
    this.entries.set(version, entry);
    units.then(
      () => (entry.settled = true),
      () => {
        if (this.entries.get(version) === entry) this.entries.delete(version);
      },
    );
    return units;
  }

  /** The next read of `version` goes to the database. */
  invalidate(version: string): void {
    this.entries.delete(version);
  }
}
