import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Version } from '../../shared/api/types.ts';
import { formatDate, formatPeriod, type Lang } from '../../shared/format.ts';
import type { Catalogue, Item } from './data.ts';
import { sectorName, type OverviewKey, type OverviewT } from './messages.ts';
import { PRESETS, type OverviewState, type Preset, type ResolvedPeriod } from './state.ts';
import { ChooseTiles } from './ChooseTiles.tsx';
import { itemName } from './Tiles.tsx';

/** The choices of the screen: period, tree, what the map shows, the tiles. */
export function RoomFilters(props: Parameters<typeof Controls>[0] & { mapName: string }) {
  const { t, lang, state, period, mapName, version } = props;
  const summary = `${presetOrPeriod(t, lang, state.pe, period)} · ${t('treeShort', { id: version })} · ${mapName}`;
  return (
    <Options summary={summary} t={t}>
      <Controls {...props} />
    </Options>
  );
}

const PHONE = '(max-width: 640px)';

/**
 * The controls: always shown on a wider screen; on a phone folded under one line that says
 * what is chosen, so the figures come first.
 */
function Options({ summary, t, children }: { summary: string; t: OverviewT; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const mq = window.matchMedia(PHONE);
    const sync = () => {
      if (!mq.matches && ref.current) ref.current.open = true;
    };
    sync();
    mq.addEventListener('change', sync);
    return () => mq.removeEventListener('change', sync);
  }, []);
  return (
    <details className="ov-options" ref={ref}>
      <summary>
        <span className="ov-options-label">{t('options')}</span>
        <span className="ov-options-now">{summary}</span>
      </summary>
      {children}
    </details>
  );
}

function presetOrPeriod(
  t: OverviewT,
  lang: Lang,
  pe: string,
  resolved: ResolvedPeriod | undefined,
): string {
  const key: Record<Preset, OverviewKey> = {
    today: 'presetToday',
    '1d': 'presetYesterday',
    '7d': 'preset7d',
    '30d': 'preset30d',
    month: 'presetMonth',
    lastmonth: 'presetLastMonth',
  };
  if (resolved?.preset) return t(key[resolved.preset]);
  return resolved ? formatPeriod(lang, resolved.period) : pe;
}

function Controls({
  state,
  update,
  cat,
  versions,
  version,
  tileCodes,
  mapCode,
  period,
  canAll,
  allCount,
  lang,
  t,
}: {
  state: OverviewState;
  update: (patch: Partial<OverviewState>) => void;
  cat: Catalogue;
  versions: Version[];
  version: string;
  tileCodes: string[];
  mapCode: string;
  period: ResolvedPeriod | undefined;
  canAll: boolean;
  allCount: number;
  lang: Lang;
  t: OverviewT;
}) {
  const presetLabel: Record<Preset, string> = {
    today: t('presetToday'),
    '1d': t('presetYesterday'),
    '7d': t('preset7d'),
    '30d': t('preset30d'),
    month: t('presetMonth'),
    lastmonth: t('presetLastMonth'),
  };
  const isPreset = (PRESETS as readonly string[]).includes(state.pe);
  const groups = useMemo(() => groupItems(cat, lang), [cat, lang]);

  return (
    <div className="card ov-controls">
      <div className="field">
        <label htmlFor="ov-period">{t('period')}</label>
        <select id="ov-period" value={state.pe} onChange={(e) => update({ pe: e.target.value })}>
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {presetLabel[p]}
            </option>
          ))}
          {!isPreset && (
            <option value={state.pe}>
              {t('presetOther', { label: period ? formatPeriod(lang, period.period) : state.pe })}
            </option>
          )}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ov-version">{t('tree')}</label>
        <select
          id="ov-version"
          value={version}
          onChange={(e) => update({ v: e.target.value, ou: undefined, all: false })}
        >
          {versions.map((v) => (
            <option key={v.id} value={v.id} title={v.name}>
              {treeLabel(t, lang, v)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ov-map-by">{t('mapBy')}</label>
        <select id="ov-map-by" value={mapCode} onChange={(e) => update({ map: e.target.value })}>
          {groups.map(([sector, items]) => (
            <optgroup key={sector} label={sectorName(lang, sector)}>
              {items.map((i) => (
                <option key={i.code} value={i.code}>
                  {itemName(lang, i, i.code)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {canAll && (
        <label className="ov-check" title={t('mapAllCommunesHint', { n: allCount })}>
          <input
            type="checkbox"
            checked={state.all}
            onChange={(e) => update({ all: e.target.checked })}
          />
          {t('mapAllCommunes')}
        </label>
      )}
      <ChooseTiles
        groups={groups}
        tileCodes={tileCodes}
        mapCode={mapCode}
        update={update}
        lang={lang}
        t={t}
      />
    </div>
  );
}

/** "Từ 01/07/2025 · 34 tỉnh": short enough for the select, and what tells trees apart. */
function treeLabel(t: OverviewT, lang: Lang, v: Version): string {
  const from = formatDate(lang, v.validFrom);
  const n = v.counts['1'];
  return n === undefined ? v.name : t('treeOption', { from, n });
}

const SECTOR_ORDER = [
  'covid',
  'government',
  'citizen',
  'telecom',
  'postal',
  'it',
  'security',
  'ict',
  'press',
  'other',
];

function groupItems(cat: Catalogue, lang: Lang): [string, Item[]][] {
  const by = new Map<string, Item[]>();
  for (const i of cat.items.values()) {
    const list = by.get(i.sector) ?? [];
    list.push(i);
    by.set(i.sector, list);
  }
  const order = (s: string) => {
    const k = SECTOR_ORDER.indexOf(s);
    return k < 0 ? SECTOR_ORDER.length : k;
  };
  return [...by.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([s, items]) => [
      s,
      items.sort((a, b) =>
        (lang === 'vi' ? a.nameVi : a.nameEn).localeCompare(
          lang === 'vi' ? b.nameVi : b.nameEn,
          lang,
        ),
      ),
    ]);
}
