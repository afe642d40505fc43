import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { formatDate, formatDateTime } from '../../shared/format.ts';
import { parseSearch, useGo, useSearchString } from '../../shared/nav.tsx';
import { query } from '../../shared/url.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { loadDirectivePage, type DirectiveListItem } from './data.ts';
import {
  DUES,
  isFiltered,
  listQuery,
  listSearch,
  readListState,
  RELATIONS,
  STATUSES,
  type ListState,
} from './listState.ts';
import { useDirText, type DirKey } from './messages.ts';
import { boardPath, DIRECTIVES_PATH, DirLink } from './nav.tsx';
import { PriorityTag } from './parts.tsx';

const SEARCH_DEBOUNCE_MS = 300;

/** The query key of every page of the list (live events make them all stale). */
export const DIRECTIVE_LIST_KEY = ['directives', 'list'];

/**
 * The directives the user sees (issue 19): issued on their side or sent to their units, filtered
 * by side, status and due date, searched, a page at a time; the filters live in the address.
 * Only directives are listed here: the recipients' copies (their tasks) are on each board.
 */
export function DirectiveList() {
  const { lang, t } = useDirText();
  const st = readListState(parseSearch(useSearchString()));
  const go = useGo();
  // What this list last wrote to the address: another value came from Back/Forward or a link.
  const written = useRef(st.q);
  const [text, setText] = useState(st.q);

  useEffect(() => {
    if (st.q === written.current) return;
    written.current = st.q;
    setText(st.q);
  }, [st.q]);

  const navigate = (next: ListState, replace = false) => {
    written.current = next.q.trim();
    go(DIRECTIVES_PATH + query(listSearch(next)), { replace });
  };
  /** A new filter starts again at the first page. */
  const filter = (change: Partial<ListState>) => navigate({ ...st, ...change, page: 1 });

  // Typing searches after a pause; the address follows without a history entry per key.
  useEffect(() => {
    const wanted = text.trim();
    if (wanted === st.q.trim()) return;
    const timer = setTimeout(
      () => navigate({ ...st, q: wanted, page: 1 }, true),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [text]);

  const pageQ = useQuery({
    queryKey: [...DIRECTIVE_LIST_KEY, listQuery(st)],
    queryFn: ({ signal }) => loadDirectivePage(listQuery(st), signal),
    placeholderData: keepPreviousData,
  });
  const page = pageQ.data;
  const from = page && page.items.length ? page.offset + 1 : 0;
  const to = page ? page.offset + page.items.length : 0;
  const filtered = isFiltered(st);

  const select = <K extends string>(
    id: string,
    label: DirKey,
    value: K | undefined,
    options: readonly K[],
    prefix: string,
    onChange: (v: K | undefined) => void,
    anyKey?: DirKey,
  ) => (
    <div className="field">
      <label htmlFor={id}>{t(label)}</label>
      <select
        id={id}
        data-testid={id}
        value={value ?? ''}
        onChange={(e) => onChange(options.find((o) => o === e.target.value))}
      >
        {anyKey && <option value="">{t(anyKey)}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {t(`${prefix}_${o}` as DirKey)}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section className="card dir-list" aria-labelledby="dir-list-title">
      <h2 id="dir-list-title" className="section-title">
        {t('listTitle')}
        {page && <span className="count-pill">{page.total}</span>}
      </h2>
      <form
        className="dir-filters"
        role="search"
        aria-label={t('listFilters')}
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ ...st, q: text.trim(), page: 1 });
        }}
      >
        <div className="field dir-filter-q">
          <label htmlFor="dir-q">{t('listSearch')}</label>
          <input
            id="dir-q"
            data-testid="dir-q"
            type="search"
            value={text}
            maxLength={200}
            placeholder={t('listSearchHint')}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {select('dir-relation', 'listRelation', st.relation, RELATIONS, 'relation', (v) =>
          filter({ relation: v ?? 'all' }),
        )}
        {select(
          'dir-status',
          'listStatus',
          st.status,
          STATUSES,
          'dstatus',
          (v) => filter({ status: v }),
          'dstatus_any',
        )}
        {select('dir-due', 'listDue', st.due, DUES, 'due', (v) => filter({ due: v }), 'due_any')}
      </form>

      {pageQ.error ? <ErrorBox error={pageQ.error} /> : null}
      {!page ? (
        pageQ.error ? null : (
          <Loading />
        )
      ) : page.items.length === 0 ? (
        <div className="empty dir-list-empty" data-testid="dir-list-empty">
          <p>{filtered || st.page > 1 ? t('listNoMatch') : t('listEmpty')}</p>
          {(filtered || st.page > 1) && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setText('');
                navigate({ relation: 'all', q: '', page: 1 });
              }}
            >
              {t('listClear')}
            </button>
          )}
        </div>
      ) : (
        <ul
          className="list"
          data-testid="dir-list"
          aria-busy={pageQ.isPlaceholderData ? true : undefined}
        >
          {page.items.map((d) => (
            <DirectiveRow key={d.id} d={d} today={page.today} lang={lang} />
          ))}
        </ul>
      )}

      {page && page.total > 0 && (
        <nav className="dir-pager" aria-label={t('listPager')}>
          <span
            className="dir-pager-range"
            data-testid="dir-range"
            aria-label={t('listRangeLabel', { from, to, total: page.total })}
          >
            {t('listRange', { from, to, total: page.total })}
          </span>
          <span className="dir-pager-buttons">
            <button
              type="button"
              className="btn"
              data-testid="dir-prev"
              disabled={st.page <= 1}
              onClick={() => navigate({ ...st, page: st.page - 1 })}
            >
              ‹ {t('listPrev')}
            </button>
            <button
              type="button"
              className="btn"
              data-testid="dir-next"
              disabled={to >= page.total}
              onClick={() => navigate({ ...st, page: st.page + 1 })}
            >
              {t('listNext')} ›
            </button>
          </span>
        </nav>
      )}
    </section>
  );
}

function DirectiveRow({
  d,
  today,
  lang,
}: {
  d: DirectiveListItem;
  today: string;
  lang: ReturnType<typeof useDirText>['lang'];
}) {
  const { t } = useDirText();
  const late = d.status === 'overdue';
  return (
    <li data-testid="dir-item" data-id={d.id}>
      <DirLink to={boardPath(d.id)} className="dir-item">
        <span className="dir-item-top">
          <span className="tag dir-no">{t('listNumber', { n: d.id })}</span>
          <PriorityTag priority={d.priority} />
          <span className={`tag dst dst-${d.status}`} data-testid="dir-item-status">
            {t(`dstatus_${d.status}`)}
          </span>
          <span className="tag">
            {d.relation === 'issued' ? t('listSideIssued') : t('listSideReceived')}
          </span>
        </span>
        <span className="dir-item-title">{d.title}</span>
        <span className="dir-item-meta">
          <span className={late ? 'is-late' : ''}>
            {t('due', { date: formatDate(lang, d.dueDate) })}
            {late && d.dueDate < today && ` · ${t('listLate', { n: d.progress.overdue })}`}
          </span>
          <span>{t('listProgress', { done: d.progress.done, total: d.progress.total })}</span>
          <span>{d.issuer.name}</span>
          <span>{formatDateTime(lang, d.createdAt)}</span>
        </span>
      </DirLink>
    </li>
  );
}
