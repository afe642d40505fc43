import { useEffect, useRef } from 'react';
import { useController, useForm } from 'react-hook-form';
import type { Lang } from '../../shared/format.ts';
import type { Item } from './data.ts';
import { sectorName, type OverviewT } from './messages.ts';
import type { OverviewState } from './state.ts';
import { itemName } from './Tiles.tsx';

/** The tiles' elements and indicators: ticked in a form, applied together. */
export function ChooseTiles({
  groups,
  tileCodes,
  mapCode,
  update,
  lang,
  t,
}: {
  groups: [string, Item[]][];
  tileCodes: string[];
  mapCode: string;
  update: (patch: Partial<OverviewState>) => void;
  lang: Lang;
  t: OverviewT;
}) {
  const { control, handleSubmit, reset } = useForm<{ dx: string[] }>({
    defaultValues: { dx: tileCodes },
  });
  const { field } = useController({ control, name: 'dx' });
  const chosen = field.value;
  const detailsRef = useRef<HTMLDetailsElement>(null);
  const tileKey = tileCodes.join(',');
  useEffect(() => reset({ dx: tileKey.split(',') }), [tileKey, reset]);

  const apply = ({ dx }: { dx: string[] }) => {
    if (dx.length === 0) return;
    const map = dx.includes(mapCode) ? mapCode : dx[0]!;
    update({ dx, map });
    detailsRef.current?.removeAttribute('open');
  };

  return (
    <details className="ov-choose" ref={detailsRef}>
      <summary>{t('indicators')}</summary>
      <form onSubmit={(e) => void handleSubmit(apply)(e)}>
        <p className="hint">{t('indicatorsHint')}</p>
        {groups.map(([sector, items]) => (
          <fieldset key={sector}>
            <legend>{sectorName(lang, sector)}</legend>
            {items.map((i) => (
              <label key={i.code} className="ov-check">
                <input
                  type="checkbox"
                  checked={chosen.includes(i.code)}
                  onChange={(e) =>
                    field.onChange(
                      e.target.checked ? [...chosen, i.code] : chosen.filter((x) => x !== i.code),
                    )
                  }
                />
                {itemName(lang, i, i.code)}
                {i.kind === 'indicator' && <span className="tag">{t('indicatorTag')}</span>}
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit" className="btn btn-primary" disabled={chosen.length === 0}>
          {t('indicatorsApply')}
        </button>
      </form>
    </details>
  );
}
