import { useId, useMemo, useState } from 'react';
import { itemOf, type Item } from '../room/data.ts';
import { sectorName } from '../room/messages.ts';
import { Loading } from '../../shared/ui.tsx';
import { useBoardText } from './messages.ts';
import { useCatalogue } from './panels/data.ts';

const SHOWN = 60;

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase();

/** The panel's figures from the catalogue: the chosen ones, and a search to tick more. */
export function FigurePicker({
  value,
  onChange,
}: {
  value: string[];
  onChange: (figures: string[]) => void;
}) {
  const { lang, t } = useBoardText();
  const cat = useCatalogue();
  const id = useId();
  const [q, setQ] = useState('');
  const name = (i: Item) => (lang === 'vi' ? i.nameVi : i.nameEn);
  const groups = useMemo(() => {
    if (!cat.data) return [];
    const words = fold(q.trim()).split(/\s+/).filter(Boolean);
    const hits = [...cat.data.items.values()].filter((i) => {
      const text = fold(`${i.code} ${i.nameVi} ${i.nameEn}`);
      return words.every((w) => text.includes(w));
    });
    const by = new Map<string, Item[]>();
    for (const i of hits.slice(0, SHOWN)) by.set(i.sector, [...(by.get(i.sector) ?? []), i]);
    return [...by.entries()];
  }, [cat.data, q]);

  if (!cat.data) return <Loading label={t('figuresLoading')} />;
  const toggle = (code: string, on: boolean) =>
    onChange(on ? [...value, code] : value.filter((c) => c !== code));
  return (
    <fieldset className="board-figures">
      <legend>{t('figures')}</legend>
      {value.length > 0 && (
        <ul className="board-chips" aria-label={t('figuresChosen', { n: value.length })}>
          {value.map((code) => {
            const item = itemOf(cat.data, code);
            const label = item ? name(item) : code;
            return (
              <li key={code} className="board-chip">
                <span>{label}</span>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={t('removeNamed', { name: label })}
                  onClick={() => toggle(code, false)}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <label htmlFor={id} className="sub-label">
        {t('figuresSearch')}
      </label>
      <input
        id={id}
        type="search"
        value={q}
        autoComplete="off"
        onChange={(e) => setQ(e.target.value)}
      />
      <div className="board-figure-list">
        {groups.map(([sector, items]) => (
          <fieldset key={sector}>
            <legend>{sectorName(lang, sector)}</legend>
            {items.map((i) => (
              <label key={i.code} className="board-check">
                <input
                  type="checkbox"
                  checked={value.includes(i.code)}
                  onChange={(e) => toggle(i.code, e.target.checked)}
                />
                {name(i)}
                {i.kind === 'indicator' && <span className="tag">{t('indicatorTag')}</span>}
              </label>
            ))}
          </fieldset>
        ))}
      </div>
    </fieldset>
  );
}
