import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { answer, ApiError, client, type Schemas } from '../../shared/api/client.ts';
import { AppLink, useGo, useSearchString } from '../../shared/nav.tsx';
import { query } from '../../shared/url.ts';
import { errorText, formatDateTime, loadCategories } from './api.ts';
import { useReportText } from './messages.ts';
import { StatusBadge } from './ReportParts.tsx';

/**
 * `/phan-anh/tra-loi`: what communes and provinces answered, for anyone (issue 20). The place
 * (a commune or a whole province, typed without diacritics), the words and the category live
 * in the address (`?unit=79&q=o+ga&category=…`), so a link shows the same list; 20 a page,
 * "Xem thêm" for the next. `/phan-anh/tra-loi/:id` is one answer's own link: the tracking code
 * is the citizen's key to their report (add information, reopen, rate) and is never shown.
 */

export const ANSWERS_PATH = '/phan-anh/tra-loi';
export const answerPath = (id: number) => `${ANSWERS_PATH}/${id}`;

type Answer = Schemas['PublicAnswer'];
type Place = Schemas['PublicPlace'];
type FoundPlace = Schemas['PublicPlaces']['items'][number];

/** Typing settles for this long before the address (and the search) follows. */
const TYPE_WAIT_MS = 400;
/** A question longer than this shows its start, and "Đọc tiếp". */
const QUESTION_SHORT = 360;

interface Filters {
  unit: string;
  q: string;
  category: string;
}

function loadAnswers(f: Filters & { page?: number; id?: number }, signal?: AbortSignal) {
  return answer(
    client.GET('/api/public/answers', {
      params: {
        query: {
          ...(f.unit ? { unit: f.unit } : {}),
          ...(f.q ? { q: f.q } : {}),
          ...(f.category ? { category: f.category } : {}),
          ...(f.id ? { id: f.id } : {}),
          page: f.page ?? 1,
        },
      },
      signal,
    }),
  );
}

function searchAnswerPlaces(q: string, signal?: AbortSignal) {
  return answer(client.GET('/api/public/answers/places', { params: { query: { q } }, signal }));
}

const notRetried = (n: number, e: unknown) => !(e instanceof ApiError && e.status < 500) && n < 2;

/** "Phường Sài Gòn, Thành phố Hồ Chí Minh"; a province alone. */
const placeName = (p: Pick<Place, 'fullName' | 'province'>) =>
  p.province ? `${p.fullName}, ${p.province.fullName}` : p.fullName;

export function AnswersPage() {
  const { lang, t } = useReportText();
  const go = useGo();
  const sp = new URLSearchParams(useSearchString());
  const filters: Filters = {
    unit: sp.get('unit') ?? '',
    q: sp.get('q') ?? '',
    category: sp.get('category') ?? '',
  };
  const id = useId();
  // The place clicked, shown at once while its answers load (the server names it after).
  const [picked, setPicked] = useState<Place | null>(null);
  const [typed, setTyped] = useState(filters.q);
  // What this page last wrote to the address: a change from elsewhere (Back) refills the box.
  const written = useRef(filters.q);
  useEffect(() => {
    if (filters.q !== written.current) {
      written.current = filters.q;
      setTyped(filters.q);
    }
  }, [filters.q]);

  const setFilters = (next: Partial<Filters>) => {
    const f = { ...filters, ...next };
    written.current = f.q;
    go(ANSWERS_PATH + query({ unit: f.unit, q: f.q, category: f.category }), { replace: true });
  };
  useEffect(() => {
    const h = setTimeout(() => {
      if (typed.trim() !== filters.q) setFilters({ q: typed.trim() });
    }, TYPE_WAIT_MS);
    return () => clearTimeout(h);
  }, [typed, filters.q, filters.unit, filters.category]);

  useEffect(() => {
    document.title = `${t('ansTitle')} — ${t('brand')}`;
  }, [lang]);

  const categories = useQuery({
    queryKey: ['public', 'categories'],
    queryFn: ({ signal }) => loadCategories(signal),
  });
  const answers = useInfiniteQuery({
    queryKey: ['public', 'answers', filters.unit, filters.q, filters.category],
    queryFn: ({ pageParam, signal }) => loadAnswers({ ...filters, page: pageParam }, signal),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.hasMore && last.page < 500 ? last.page + 1 : undefined),
    placeholderData: keepPreviousData,
    retry: notRetried,
  });

  const items = answers.data?.pages.flatMap((p) => p.items) ?? [];
  const serverPlace = answers.isPlaceholderData ? undefined : answers.data?.pages[0]?.place;
  const place: Place | null = !filters.unit
    ? null
    : serverPlace?.code === filters.unit
      ? serverPlace
      : picked?.code === filters.unit
        ? picked
        : null;
  const placeText = place ? placeName(place) : filters.unit ? filters.unit : t('ansPlaceNation');
  const filtered = filters.q !== '' || filters.category !== '';

  const more = async () => {
    const before = items.length;
    await answers.fetchNextPage();
    // The keyboard moves to the first answer just loaded.
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-answer-index="${before}"]`)?.focus(),
    );
  };

  const unknownPlace =
    answers.error instanceof ApiError && answers.error.code === 'unknown_unit' && !answers.data;

  return (
    <div className="pa-page pa-wide" data-testid="answers-page">
      <h1>{t('ansTitle')}</h1>
      <p className="pa-muted">{t('ansIntro')}</p>

      <form
        className="pa-filters"
        role="search"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setFilters({ q: typed.trim() });
        }}
      >
        <PlacePicker
          place={place}
          unit={filters.unit}
          placeText={placeText}
          onPick={(p) => {
            setPicked(p);
            setFilters({ unit: p?.code ?? '' });
          }}
        />
        <div className="pa-filter-row">
          <div className="pa-filter">
            <label htmlFor={`${id}-q`} className="pa-label">
              {t('ansSearchLabel')}
            </label>
            <input
              id={`${id}-q`}
              type="search"
              className="pa-input"
              value={typed}
              autoComplete="off"
              enterKeyHint="search"
              placeholder={t('ansSearchHint')}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="answers-q"
            />
          </div>
          <div className="pa-filter">
            <label htmlFor={`${id}-category`} className="pa-label">
              {t('ansCategoryLabel')}
            </label>
            <select
              id={`${id}-category`}
              className="pa-input"
              value={filters.category}
              onChange={(e) => setFilters({ category: e.target.value })}
              data-testid="answers-category"
            >
              <option value="">{t('ansCategoryAll')}</option>
              {categories.data?.map((c) => (
                <option key={c.code} value={c.code}>
                  {lang === 'vi' ? c.nameVi : c.nameEn}
                </option>
              ))}
              {/* A shared link's category before the list has come. */}
              {filters.category && !categories.data?.some((c) => c.code === filters.category) && (
                <option value={filters.category}>{filters.category}</option>
              )}
            </select>
          </div>
        </div>
        {filtered && (
          <button
            type="button"
            className="pa-link pa-clear"
            onClick={() => {
              setTyped('');
              setFilters({ q: '', category: '' });
            }}
          >
            {t('ansClear')}
          </button>
        )}
      </form>

      <div
        aria-live="polite"
        className="pa-small pa-muted pa-count-line"
        data-testid="answers-count"
      >
        {answers.isFetching && !answers.isFetchingNextPage
          ? t('loading')
          : answers.data && items.length > 0
            ? t(answers.hasNextPage ? 'ansCountMore' : 'ansCount', { n: items.length })
            : ''}
      </div>

      {answers.error && !answers.data ? (
        <div className="pa-error" role="alert" data-testid="answers-error">
          {unknownPlace ? t('ansUnknownPlace') : errorText(lang, answers.error)}{' '}
          {unknownPlace ? (
            <button type="button" className="pa-link" onClick={() => setFilters({ unit: '' })}>
              {t('ansPlaceAll')}
            </button>
          ) : (
            <button type="button" className="pa-link" onClick={() => void answers.refetch()}>
              {t('retry')}
            </button>
          )}
        </div>
      ) : answers.data && items.length === 0 && !answers.isPlaceholderData ? (
        <p className="pa-empty" role="status" data-testid="answers-empty">
          {t(filtered ? 'ansEmptyFiltered' : 'ansEmpty', { place: placeText })}
        </p>
      ) : (
        <ol
          className={`pa-qa-list${answers.isPlaceholderData ? ' pa-stale' : ''}`}
          data-testid="answers-list"
        >
          {items.map((a, i) => (
            <li key={a.id}>
              <AnswerCard a={a} index={i} />
            </li>
          ))}
        </ol>
      )}

      {answers.hasNextPage && !answers.isPlaceholderData && (
        <button
          type="button"
          className="pa-btn pa-btn-block pa-more"
          onClick={() => void more()}
          disabled={answers.isFetchingNextPage}
          data-testid="answers-more"
        >
          {answers.isFetchingNextPage ? t('ansMoreLoading') : t('ansMore')}
        </button>
      )}
      {!!answers.error && !!answers.data && (
        <p className="pa-error" role="alert">
          {errorText(lang, answers.error)}
        </p>
      )}
    </div>
  );
}

/** Where to read answers: the place shown, and a search by name to change it. */
function PlacePicker({
  place,
  unit,
  placeText,
  onPick,
}: {
  place: Place | null;
  unit: string;
  placeText: string;
  onPick: (p: Place | null) => void;
}) {
  const { lang, t } = useReportText();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(h);
  }, [typed]);
  const found = useQuery({
    queryKey: ['public', 'answerPlaces', q],
    queryFn: ({ signal }) => searchAnswerPlaces(q, signal),
    enabled: q.length >= 2,
    staleTime: 3_600_000,
    retry: notRetried,
  });
  const pick = (p: Place | null) => {
    onPick(p);
    setTyped('');
    setQ('');
  };

  return (
    <div className="pa-place-picker">
      <div className="pa-place-chosen" data-testid="answers-place">
        <div>
          <div className="pa-muted pa-small">{t('ansPlaceShowing')}</div>
          <strong data-testid="answers-place-name">{placeText}</strong>
        </div>
        {unit && (
          <div className="pa-place-actions">
            {place?.province && (
              <button
                type="button"
                className="pa-btn pa-btn-small"
                onClick={() => pick({ ...place.province!, level: 1, province: null })}
                data-testid="answers-whole-province"
              >
                {t('ansPlaceWholeProvince', { name: place.province.fullName })}
              </button>
            )}
            <button type="button" className="pa-btn pa-btn-small" onClick={() => pick(null)}>
              {t('ansPlaceAll')}
            </button>
          </div>
        )}
      </div>
      <label htmlFor={`${id}-place`} className="pa-label">
        {unit ? t('ansPlaceChange') : t('ansPlaceLabel')}
      </label>
      <input
        id={`${id}-place`}
        type="search"
        className="pa-input"
        value={typed}
        autoComplete="off"
        placeholder={t('ansPlaceHint')}
        onChange={(e) => setTyped(e.target.value)}
        onKeyDown={(e) => {
          // Enter picks the best match rather than sending the form.
          if (e.key === 'Enter') {
            e.preventDefault();
            const first = found.data?.items[0];
            if (first && q === typed.trim()) pick(first);
          }
        }}
        data-testid="answers-place-search"
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
            {t('ansPlaceNone', { q })}
          </p>
        ) : found.data ? (
          <ul className="pa-choices" data-testid="answers-place-results">
            {found.data.items.map((p: FoundPlace) => (
              <li key={p.code}>
                <button type="button" className="pa-choice" onClick={() => pick(p)}>
                  <strong>{p.fullName}</strong>
                  {p.province ? (
                    <span>, {p.province.fullName}</span>
                  ) : (
                    <span className="pa-muted pa-small"> — {t('ansPlaceProvinceKind')}</span>
                  )}
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
    </div>
  );
}

/** One answered report: where, when, the question (masked by the server), the answer, photos. */
function AnswerCard({ a, index, single }: { a: Answer; index?: number; single?: boolean }) {
  const { lang, t } = useReportText();
  const [open, setOpen] = useState(false);
  const long = a.question.length > QUESTION_SHORT;
  const question =
    long && !open ? a.question.slice(0, QUESTION_SHORT).replace(/\s+\S*$/, '') + '…' : a.question;
  const where = a.province ? `${a.commune.name}, ${a.province.name}` : a.commune.name;
  const Title = single ? 'h1' : 'h2';
  return (
    <article
      className="pa-qa"
      data-testid="answer-item"
      data-answer-index={index}
      tabIndex={index === undefined ? undefined : -1}
    >
      <header className="pa-qa-head">
        <span className="pa-tag">{lang === 'vi' ? a.category.nameVi : a.category.nameEn}</span>
        <StatusBadge status={a.status} />
      </header>
      <Title className="pa-qa-where">{where}</Title>
      <p className="pa-qa-dates pa-small pa-muted">
        <span>
          {t('ansReceived')}{' '}
          <time dateTime={a.receivedAt}>{formatDateTime(lang, a.receivedAt)}</time>
        </span>
        <span>
          {t('ansAnswered')}{' '}
          <time dateTime={a.answeredAt}>{formatDateTime(lang, a.answeredAt)}</time>
        </span>
      </p>
      <h3 className="pa-qa-label">{t('ansQuestion')}</h3>
      <p className="pa-text" data-testid="answer-question">
        {question}
      </p>
      {long && (
        <button
          type="button"
          className="pa-link pa-small"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? t('ansReadLess') : t('ansReadMore')}
        </button>
      )}
      {a.answer !== null && (
        <div className="pa-qa-answer">
          <h3 className="pa-qa-label">{t('ansAnswerBy', { unit: a.handler.name })}</h3>
          <p className="pa-text" data-testid="answer-text">
            {a.answer}
          </p>
          {a.answerPhotos.length > 0 && (
            <ul className="pa-thumbs" data-testid="answer-item-photos">
              {a.answerPhotos.map((p, i) => (
                <li key={p.id} className="pa-thumb">
                  <a href={p.url} target="_blank" rel="noreferrer">
                    <img
                      src={p.url}
                      alt={t('ansPhotoAlt', {
                        unit: a.handler.name,
                        n: i + 1,
                        total: a.answerPhotos.length,
                      })}
                      loading="lazy"
                      decoding="async"
                    />
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <footer className="pa-qa-foot">
        {a.rating !== null && (
          <span className="pa-small" data-testid="answer-rating">
            <span aria-hidden="true" className="pa-qa-stars">
              {'★'.repeat(a.rating)}
              {'☆'.repeat(5 - a.rating)}{' '}
            </span>
            {t('ansRated', { n: a.rating })}
          </span>
        )}
        {!single && (
          <AppLink to={answerPath(a.id)} className="pa-small" data-testid="answer-link">
            {t('ansLink')}
          </AppLink>
        )}
      </footer>
    </article>
  );
}

/** `/phan-anh/tra-loi/:id`: one answer, to share; then the others of its commune. */
export function AnswerPage({ id }: { id: number }) {
  const { lang, t } = useReportText();
  const one = useQuery({
    queryKey: ['public', 'answer', id],
    queryFn: ({ signal }) => loadAnswers({ unit: '', q: '', category: '', id }, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
    retry: notRetried,
  });
  const a = one.data?.items[0];
  useEffect(() => {
    document.title = `${t('ansOneTitle')} — ${t('brand')}`;
  }, [lang]);

  return (
    <div className="pa-page" data-testid="answer-page">
      <p>
        <AppLink to={ANSWERS_PATH}>{t('ansBack')}</AppLink>
      </p>
      {one.error ? (
        <p className="pa-error" role="alert">
          {errorText(lang, one.error)}{' '}
          <button type="button" className="pa-link" onClick={() => void one.refetch()}>
            {t('retry')}
          </button>
        </p>
      ) : !one.data && one.fetchStatus !== 'idle' ? (
        <p className="pa-muted" role="status">
          {t('loading')}
        </p>
      ) : !a ? (
        <p className="pa-empty" role="status" data-testid="answer-not-found">
          {t('ansNotFound')}
        </p>
      ) : (
        <>
          <AnswerCard a={a} single />
          <p>
            <AppLink
              to={ANSWERS_PATH + query({ unit: a.commune.code })}
              className="pa-btn"
              data-testid="answer-others"
            >
              {t('ansOthers', { place: a.commune.name })}
            </AppLink>
          </p>
        </>
      )}
    </div>
  );
}
