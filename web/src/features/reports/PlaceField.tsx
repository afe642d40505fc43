import { useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { errorText, locatePlace, searchPlaces, type PlaceUnit } from './api.ts';
import { useReportText } from './messages.ts';

/** The place chosen: a commune, with the point when it came from the phone's location. */
export interface ChosenPlace {
  commune: PlaceUnit;
  province: PlaceUnit | null;
  point?: { lat: number; lon: number };
}

/** Typing settles for this long before the search is sent (a slow network, a cheap phone). */
const SEARCH_WAIT_MS = 300;

/**
 * Where it happens: the phone's location (the commune found shown, changeable), or a commune
 * searched by name without diacritics. No map library is loaded.
 */
export function PlaceField({
  value,
  onChange,
  error,
}: {
  value: ChosenPlace | null;
  onChange: (p: ChosenPlace | null) => void;
  error?: string;
}) {
  const { lang, t } = useReportText();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [locating, setLocating] = useState(false);
  const [locateError, setLocateError] = useState('');

  useEffect(() => {
    const h = setTimeout(() => setQ(typed.trim()), SEARCH_WAIT_MS);
    return () => clearTimeout(h);
  }, [typed]);

  const found = useQuery({
    queryKey: ['places', 'search', q],
    queryFn: ({ signal }) => searchPlaces(q, signal),
    enabled: q.length >= 2 && value === null,
    staleTime: 3_600_000,
  });

  const locate = () => {
    setLocateError('');
    if (!('geolocation' in navigator)) {
      setLocateError(t('locationUnsupported'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const lat = pos.coords.latitude;
        const lon = pos.coords.longitude;
        locatePlace(lat, lon)
          .then((p) => onChange({ commune: p.commune, province: p.province, point: { lat, lon } }))
          .catch((e: unknown) => setLocateError(errorText(lang, e)))
          .finally(() => setLocating(false));
      },
      () => {
        setLocating(false);
        setLocateError(t('locationDenied'));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const errorId = `${id}-error`;
  return (
    <fieldset className="pa-step" aria-describedby={error ? errorId : undefined}>
      <legend>{t('stepPlace')}</legend>
      {value ? (
        <div className="pa-place-chosen" data-testid="place-chosen">
          <div>
            <div className="pa-muted">
              {t('placeFound')}
              {value.point ? ` (${t('placeFromLocation')})` : ''}
            </div>
            <strong>{value.commune.fullName}</strong>
            {value.province && <span>, {value.province.fullName}</span>}
          </div>
          <button
            type="button"
            className="pa-btn pa-btn-small"
            onClick={() => {
              onChange(null);
              setTyped('');
              setQ('');
            }}
          >
            {t('placeChange')}
          </button>
        </div>
      ) : (
        <>
          <button
            type="button"
            className="pa-btn pa-btn-block"
            onClick={locate}
            disabled={locating}
            data-testid="use-location"
          >
            <span aria-hidden="true">◎ </span>
            {locating ? t('locating') : t('useMyLocation')}
          </button>
          {locateError && (
            <p className="pa-note pa-warn" role="status">
              {locateError}
            </p>
          )}
          <label htmlFor={`${id}-q`} className="pa-label">
            {t('placeSearchLabel')}
          </label>
          <input
            id={`${id}-q`}
            type="search"
            className="pa-input"
            value={typed}
            autoComplete="off"
            placeholder={t('placeSearchHint')}
            onChange={(e) => setTyped(e.target.value)}
            data-testid="place-search"
          />
          {q.length >= 2 &&
            (found.isFetching && !found.data ? (
              <p className="pa-muted" role="status">
                {t('placeSearching')}
              </p>
            ) : found.error ? (
              <p className="pa-error">{errorText(lang, found.error)}</p>
            ) : found.data && found.data.items.length === 0 ? (
              <p className="pa-muted" role="status">
                {t('placeNone', { q })}
              </p>
            ) : found.data ? (
              <ul className="pa-choices" data-testid="place-results">
                {found.data.items.map((p) => (
                  <li key={p.commune.code}>
                    <button
                      type="button"
                      className="pa-choice"
                      onClick={() => onChange({ commune: p.commune, province: p.province })}
                    >
                      <strong>{p.commune.fullName}</strong>
                      {p.province && <span>, {p.province.fullName}</span>}
                      {p.matchedName && (
                        <span className="pa-muted pa-small">
                          {' '}
                          ({t('placeFormerly', { names: p.matchedName.name })})
                        </span>
                      )}
                    </button>
                  </li>
                ))}
              </ul>
            ) : null)}
        </>
      )}
      {error && (
        <p className="pa-error" id={errorId} data-testid="error-place">
          {error}
        </p>
      )}
    </fieldset>
  );
}
