import { useEffect, useId, useRef, useState } from 'react';
import { errorText } from './api.ts';
import { useReportText } from './messages.ts';

/** A photo chosen: its preview, its upload's progress, then the server's id (and key). */
interface Item<T> {
  local: number;
  url: string;
  progress: number;
  uploaded?: T;
  error?: string;
  abort: () => void;
}

export type Uploader<T> = (
  file: File,
  onProgress: (fraction: number) => void,
) => { done: Promise<T>; abort: () => void };

let seq = 0;

/**
 * Photos, each uploaded as soon as chosen (the camera allowed), with its progress and a
 * thumbnail; removable. `onChange` gets the uploaded ones and whether some are still on their way.
 */
export function PhotoField<T>({
  upload,
  max,
  onChange,
  legend,
  hint,
  testId = 'photos',
}: {
  upload: Uploader<T>;
  max: number;
  onChange: (uploaded: T[], busy: boolean) => void;
  legend: string;
  hint?: string;
  testId?: string;
}) {
  const { lang, t } = useReportText();
  const id = useId();
  const [items, setItems] = useState<Item<T>[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    changed.current(
      items.flatMap((i) => (i.uploaded ? [i.uploaded] : [])),
      items.some((i) => !i.uploaded && !i.error),
    );
  }, [items]);
  // The previews go with the page.
  const urls = useRef<string[]>([]);
  useEffect(() => () => urls.current.forEach((u) => URL.revokeObjectURL(u)), []);

  const patch = (local: number, p: Partial<Item<T>>) =>
    setItems((xs) => xs.map((x) => (x.local === local ? { ...x, ...p } : x)));

  const add = (files: FileList | null) => {
    if (!files) return;
    const room = max - items.length;
    const added: Item<T>[] = [];
    for (const file of Array.from(files).slice(0, Math.max(0, room))) {
      const local = ++seq;
      const url = URL.createObjectURL(file);
      urls.current.push(url);
      const up = upload(file, (f) => patch(local, { progress: f }));
      up.done.then(
        (uploaded) => patch(local, { uploaded, progress: 1 }),
        (e: unknown) => {
          if (e instanceof DOMException && e.name === 'AbortError') return;
          patch(local, { error: errorText(lang, e) });
        },
      );
      added.push({ local, url, progress: 0, abort: up.abort });
    }
    setItems((xs) => [...xs, ...added]);
    if (input.current) input.current.value = '';
  };

  const remove = (local: number) =>
    setItems((xs) =>
      xs.filter((x) => {
        if (x.local === local) x.abort();
        return x.local !== local;
      }),
    );

  return (
    <fieldset className="pa-step" data-testid={testId}>
      <legend>{legend}</legend>
      {hint && <p className="pa-muted pa-small">{hint}</p>}
      {items.length > 0 && (
        <ul className="pa-thumbs">
          {items.map((x, i) => (
            <li
              key={x.local}
              className="pa-thumb"
              data-testid="photo-item"
              data-state={x.uploaded ? 'done' : x.error ? 'error' : 'uploading'}
            >
              <img src={x.url} alt={t('photoN', { n: i + 1 })} />
              {!x.uploaded && !x.error && (
                <span className="pa-thumb-progress" role="status">
                  <progress max={1} value={x.progress} />
                  <span>{t('photoUploading', { p: Math.round(x.progress * 100) })}</span>
                </span>
              )}
              {x.error && (
                <span className="pa-thumb-error" role="alert">
                  {t('photoFailed')}: {x.error}
                </span>
              )}
              <button
                type="button"
                className="pa-thumb-remove"
                aria-label={t('photoRemoveN', { n: i + 1 })}
                title={t('photoRemove')}
                onClick={() => remove(x.local)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {items.length < max ? (
        <label className="pa-btn pa-file" htmlFor={`${id}-file`}>
          <span aria-hidden="true">+ </span>
          {t('photosLabel')}
          <input
            ref={input}
            id={`${id}-file`}
            type="file"
            accept="image/*"
            multiple
            className="pa-file-input"
            onChange={(e) => add(e.target.files)}
            data-testid={`${testId}-input`}
          />
        </label>
      ) : (
        <p className="pa-muted pa-small">{t('photosMax', { n: max })}</p>
      )}
    </fieldset>
  );
}
