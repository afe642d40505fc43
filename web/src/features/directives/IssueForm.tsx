import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey, query, type Me, type OrgUnitDetail } from '../../api.ts';
import { formatNumber } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import {
  addDaysIso,
  issueDirective,
  PRIORITIES,
  vnToday,
  type Priority,
  type Target,
} from './data.ts';
import { dirLabel, useDirText, type DirKey } from './messages.ts';
import { AttachInput, AttachedFiles, BackLink, DueDateField, useAttachments } from './parts.tsx';
import { fold, useScopeTree } from './scope.ts';
import { boardPath, useDirGo } from './nav.tsx';

const ROOT = 'VN';
type Kind = Target['kind'];

interface Group {
  code: string;
  name: string;
  members?: number;
}

function levelKey(level: number, version: string): DirKey {
  // After the July 2025 reform communes sit right under provinces, at level 2.
  if (level === 2 && version.startsWith('2025')) return 'level2_2025';
  return `level${level}` as DirKey;
}

/** `/chi-dao/moi`: a leader writes a directive and chooses who receives it. */
export function IssueForm({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const navigate = useDirGo();
  const { version, scopeUnit, children, loadError, setLoadError } = useScopeTree(me);
  const [groups, setGroups] = useState<Group[] | undefined>();

  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [dueDate, setDueDate] = useState(() => addDaysIso(vnToday(), 7));
  const [kind, setKind] = useState<Kind>('level');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const [filter, setFilter] = useState('');
  const [under, setUnder] = useState(me.scope.code);
  const [underDetail, setUnderDetail] = useState<OrgUnitDetail | undefined>();
  const [level, setLevel] = useState<number | undefined>();
  const [group, setGroup] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attachments = useAttachments(setError);
  const errorRef = useRef<HTMLDivElement>(null);
  // One key per directive being written: sending the same form again after a lost answer
  // (network error, server restart) cannot issue it twice; a changed form is a new directive.
  const sent = useRef<{ json: string; key: string } | null>(null);

  useEffect(() => {
    if (!version) return;
    void api<{ items: Group[] }>(`/api/groups${query({ version })}`)
      .catch(() => ({ items: [] }))
      .then((g) => setGroups(g.items));
  }, [version]);

  useEffect(() => {
    if (!version || !scopeUnit) return;
    if (under === scopeUnit.code) {
      setUnderDetail(scopeUnit);
      return;
    }
    setUnderDetail(undefined);
    api<OrgUnitDetail>(`/api/orgunits/${encodeURIComponent(under)}${query({ version })}`)
      .then(setUnderDetail)
      .catch(setLoadError);
  }, [under, version, scopeUnit]);

  // A level is counted under the chosen unit, or under the nation for a national directive.
  const levelUnit = kind === 'nation' ? scopeUnit : underDetail;
  const levels = useMemo(
    () =>
      Object.keys(levelUnit?.countsBelow ?? {})
        .map(Number)
        .filter((l) => Number.isFinite(l))
        .sort((a, b) => a - b),
    [levelUnit],
  );
  // Default to the lowest level: a directive to communes is the common case.
  useEffect(() => {
    if (levels.length && (level === undefined || !levels.includes(level)))
      setLevel(levels[levels.length - 1]);
  }, [levels, level]);

  const shown = useMemo(() => {
    const q = fold(filter.trim());
    if (!children) return [];
    if (!q) return children;
    return children.filter((c) => fold(c.fullName).includes(q));
  }, [children, filter]);

  const recipients: number | undefined =
    kind === 'units'
      ? chosen.size
      : kind === 'level' || kind === 'nation'
        ? level !== undefined
          ? (levelUnit?.countsBelow[String(level)] ?? 0)
          : undefined
        : kind === 'group'
          ? groups?.find((g) => g.code === group)?.members
          : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const problem = !title.trim()
      ? t('required', { field: t('title').toLowerCase() })
      : !body.trim()
        ? t('required', { field: t('bodyField').toLowerCase() })
        : dueDate < vnToday()
          ? t('dueInPast')
          : kind === 'units' && chosen.size === 0
            ? t('willReceiveNone')
            : kind === 'group' && !group
              ? t('required', { field: t('group').toLowerCase() })
              : null;
    if (problem) {
      setError(new Error(problem));
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    const target: Target =
      kind === 'units'
        ? { kind, version, units: [...chosen] }
        : kind === 'level'
          ? { kind, version, unit: under, level }
          : kind === 'group'
            ? { kind, version, group }
            : { kind, version, level };
    setBusy(true);
    try {
      const input = {
        title: title.trim(),
        body: body.trim(),
        priority,
        dueDate,
        target,
        ...(attachments.files.length
          ? { attachmentIds: attachments.files.map((f) => Number(f.id)) }
          : {}),
      };
      const json = JSON.stringify(input);
      if (sent.current?.json !== json) sent.current = { json, key: newIdempotencyKey() };
      const r = await issueDirective(input, sent.current.key);
      navigate(boardPath(r.directive.id));
    } catch (err) {
      setError(err);
      setBusy(false);
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  };

  if (loadError)
    return (
      <div className="page dir-page">
        <ErrorBox error={loadError} />
      </div>
    );
  if (!scopeUnit || !children || !version)
    return (
      <div className="page dir-page">
        <Loading />
      </div>
    );

  const kinds: Kind[] = [
    'units',
    'level',
    'group',
    ...(me.scope.code === ROOT ? (['nation'] as const) : []),
  ];
  const kindLabel: Record<Kind, DirKey> = {
    units: 'targetUnits',
    level: 'targetLevel',
    group: 'targetGroup',
    nation: 'targetNation',
  };

  return (
    <div className="page dir-page">
      <BackLink />
      <div className="page-head">
        <h1>{t('formTitle')}</h1>
        <p className="muted">{t('formIntro')}</p>
      </div>
      <form
        className="card dir-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        data-testid="issue-form"
      >
        <div ref={errorRef} tabIndex={-1}>
          {error ? <ErrorBox error={error} testId="issue-error" /> : null}
        </div>
        <div className="field">
          <label htmlFor="d-title">{t('title')}</label>
          <input
            id="d-title"
            required
            maxLength={300}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="d-body">{t('bodyField')}</label>
          <textarea
            id="d-body"
            required
            rows={6}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
        <div className="dir-row2">
          <div className="field">
            <label htmlFor="d-priority">{t('priority')}</label>
            <select
              id="d-priority"
              value={priority}
              onChange={(e) => setPriority(e.target.value as Priority)}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {dirLabel(lang, 'priority', p)}
                </option>
              ))}
            </select>
          </div>
          <DueDateField id="d-due" value={dueDate} onChange={setDueDate} />
        </div>

        <fieldset className="dir-target">
          <legend>{t('target')}</legend>
          <div className="dir-kinds" role="radiogroup">
            {kinds.map((k) => (
              <label key={k} className="dir-kind">
                <input
                  type="radio"
                  name="target-kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                {t(kindLabel[k])}
              </label>
            ))}
          </div>

          {kind === 'units' && (
            <div className="dir-picker">
              <div className="dir-picker-head">
                <div className="field">
                  <label htmlFor="d-filter">{t('filterUnits')}</label>
                  <input
                    id="d-filter"
                    type="search"
                    value={filter}
                    onChange={(e) => setFilter(e.target.value)}
                  />
                </div>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setChosen(new Set([...chosen, ...shown.map((c) => c.code)]))}
                >
                  {t('selectAll')}
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setChosen(new Set())}
                >
                  {t('selectNone')}
                </button>
              </div>
              <ul className="dir-checks" aria-label={t('pickUnits')}>
                {shown.map((c) => (
                  <li key={c.code}>
                    <label>
                      <input
                        type="checkbox"
                        checked={chosen.has(c.code)}
                        onChange={(e) => {
                          const n = new Set(chosen);
                          if (e.target.checked) n.add(c.code);
                          else n.delete(c.code);
                          setChosen(n);
                        }}
                      />
                      {c.fullName}
                    </label>
                  </li>
                ))}
              </ul>
            </div>
          )}

          {(kind === 'level' || kind === 'nation') && (
            <div className="dir-row2">
              {kind === 'level' && (
                <div className="field">
                  <label htmlFor="d-under">{t('underUnit')}</label>
                  <select id="d-under" value={under} onChange={(e) => setUnder(e.target.value)}>
                    <option value={scopeUnit.code}>{scopeUnit.fullName}</option>
                    {children.map((c) => (
                      <option key={c.code} value={c.code}>
                        {'\u00a0\u00a0'}
                        {c.fullName}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <div className="field">
                <label htmlFor="d-level">{t('atLevel')}</label>
                <select
                  id="d-level"
                  value={level ?? ''}
                  onChange={(e) => setLevel(Number(e.target.value))}
                  disabled={!levelUnit}
                >
                  {levels.map((l) => (
                    <option key={l} value={l}>
                      {t(levelKey(l, version))} (
                      {formatNumber(lang, levelUnit?.countsBelow[String(l)] ?? 0)})
                    </option>
                  ))}
                </select>
              </div>
            </div>
          )}

          {kind === 'group' &&
            (groups && groups.length > 0 ? (
              <div className="field">
                <label htmlFor="d-group">{t('group')}</label>
                <select id="d-group" value={group} onChange={(e) => setGroup(e.target.value)}>
                  <option value="">—</option>
                  {groups.map((g) => (
                    <option key={g.code} value={g.code}>
                      {g.name}
                      {g.members !== undefined ? ` (${formatNumber(lang, g.members)})` : ''}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <p className="muted">{t('noGroups')}</p>
            ))}

          <p className="dir-count" role="status" aria-live="polite" data-testid="recipient-count">
            {recipients === undefined
              ? t('willReceiveUnknown')
              : recipients === 0
                ? t('willReceiveNone')
                : t('willReceive', { n: formatNumber(lang, recipients) })}
          </p>
        </fieldset>

        <div className="field">
          <AttachInput id="d-files" label={t('attachments')} attachments={attachments} />
          <AttachedFiles attachments={attachments} />
        </div>

        <div className="dir-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || attachments.uploading}
          >
            {busy ? t('submitting') : t('submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
