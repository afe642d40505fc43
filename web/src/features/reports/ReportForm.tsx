import { useId, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, client } from '../../shared/api/client.ts';
import { getLang } from '../../shared/i18n.ts';
import {
  DESCRIPTION_MAX,
  PHOTOS_MAX,
  deadlineText,
  errorText,
  fieldErrors,
  loadCategories,
  uploadWithProgress,
  uuid,
  type Receipt,
  type UploadedPhoto,
} from './api.ts';
import { AppLink } from '../../shared/nav.tsx';
import { ANSWERS_PATH } from './AnswersPage.tsx';
import { useReportText } from './messages.ts';
import { SPAM_PATH } from './SpamPage.tsx';
import { PhotoField } from './PhotoField.tsx';
import { PlaceField, type ChosenPlace } from './PlaceField.tsx';
import { ReceiptView } from './ReceiptView.tsx';

/** The shipped category of spam messages and calls: its numbers go faster by the 5656 form. */
const SPAM_CATEGORY = 'TIN_NHAN_RAC_5656';

type Field = 'category' | 'description' | 'place' | 'photos' | 'phone' | 'email' | 'form';

const uploadPublicPhoto = (file: File, onProgress: (f: number) => void) =>
  uploadWithProgress<UploadedPhoto>('/api/public/photos', file, onProgress, {
    'Accept-Language': getLang(),
  });

/** `/phan-anh`: a citizen files a report, no account; the answer is a tracking code. */
export function ReportForm() {
  const { lang, t } = useReportText();
  const id = useId();
  const categories = useQuery({
    queryKey: ['public', 'categories'],
    queryFn: ({ signal }) => loadCategories(signal),
  });
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [place, setPlace] = useState<ChosenPlace | null>(null);
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  // One key per form: a retry after a lost answer files the report once.
  const idempotencyKey = useRef(uuid());
  const formRef = useRef<HTMLFormElement>(null);

  // A field changed: its error (and the summary) goes, the others stay until sent again.
  const clear = (f: Field) =>
    setErrors((e) => (e[f] || e.form ? { ...e, [f]: undefined, form: undefined } : e));

  if (receipt)
    return (
      <ReceiptView
        receipt={receipt}
        place={place?.commune}
        onAnother={() => {
          idempotencyKey.current = uuid();
          setReceipt(null);
          setCategory('');
          setDescription('');
          setPlace(null);
          setPhotos([]);
          setPhone('');
          setEmail('');
        }}
      />
    );

  const focusFirstError = () =>
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .pa-error')?.focus(),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!category) found.category = t('categoryMissing');
    if (!description.trim()) found.description = t('descriptionMissing');
    else if (description.trim().length > DESCRIPTION_MAX)
      found.description = t('descriptionTooLong', { n: DESCRIPTION_MAX.toLocaleString('de-DE') });
    if (!place) found.place = t('placeMissing');
    if (photosBusy) found.photos = t('waitPhotos');
    setErrors(found);
    if (Object.keys(found).length) {
      focusFirstError();
      return;
    }
    setSending(true);
    try {
      const contact = {
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
      };
      const { data } = await client.POST('/api/public/reports', {
        params: { header: { 'Idempotency-Key': idempotencyKey.current } },
        body: {
          category,
          description: description.trim(),
          place: place!.point ? place!.point : { unit: place!.commune.code },
          ...(Object.keys(contact).length ? { contact } : {}),
          photos: photos.map(({ id, key }) => ({ id, key })),
        },
      });
      if (!data) throw new ApiError(0, 'network', '', undefined);
      setReceipt(data);
      window.scrollTo(0, 0);
    } catch (err) {
      const byField = fieldErrors(lang, err);
      const next: Partial<Record<Field, string>> = {};
      for (const [path, text] of Object.entries(byField)) {
        const f: Field = path.startsWith('contact.phone')
          ? 'phone'
          : path.startsWith('contact.email')
            ? 'email'
            : path.startsWith('description')
              ? 'description'
              : path.startsWith('category')
                ? 'category'
                : path.startsWith('place')
                  ? 'place'
                  : path.startsWith('photos')
                    ? 'photos'
                    : 'form';
        next[f] ??= text;
      }
      const code = err instanceof ApiError ? err.code : '';
      if (!Object.keys(next).length) {
        const text = errorText(lang, err);
        if (code === 'place_outside') next.place = text;
        else if (code === 'unknown_category') next.category = text;
        else if (code === 'file_invalid' || code === 'file_too_large') next.photos = text;
        else next.form = text;
      } else if (!next.form) next.form = t('fixAbove');
      setErrors(next);
      focusFirstError();
    } finally {
      setSending(false);
    }
  };

  const count = description.trim().length;
  const over = count > DESCRIPTION_MAX;
  const err = (f: Field) =>
    errors[f] ? (
      <p className="pa-error" id={`${id}-${f}-error`} tabIndex={-1} data-testid={`error-${f}`}>
        {errors[f]}
      </p>
    ) : null;

  return (
    <form ref={formRef} className="pa-form" onSubmit={(e) => void submit(e)} noValidate>
      <h1>{t('fileTitle')}</h1>
      <p className="pa-muted">{t('fileIntro')}</p>
      <ul className="pa-more-links" data-testid="home-links">
        <li>
          <AppLink to={ANSWERS_PATH}>{t('homeMore')}</AppLink>
        </li>
        <li>
          <AppLink to={SPAM_PATH}>{t('homeSpam')}</AppLink>
        </li>
      </ul>

      <fieldset className="pa-step">
        <legend>{t('stepCategory')}</legend>
        {categories.error ? (
          <p className="pa-error">
            {errorText(lang, categories.error)}{' '}
            <button type="button" className="pa-link" onClick={() => void categories.refetch()}>
              {t('retry')}
            </button>
          </p>
        ) : !categories.data ? (
          <p className="pa-muted" role="status">
            {t('categoriesLoading')}
          </p>
        ) : (
          <div className="pa-radios" role="radiogroup" data-testid="categories">
            {categories.data.map((c) => (
              <label key={c.code} className="pa-radio">
                <input
                  type="radio"
                  name="category"
                  value={c.code}
                  checked={category === c.code}
                  aria-invalid={errors.category ? true : undefined}
                  onChange={() => {
                    setCategory(c.code);
                    clear('category');
                  }}
                />
                <span>
                  <strong>{lang === 'vi' ? c.nameVi : c.nameEn}</strong>
                  <span className="pa-small pa-muted">
                    {lang === 'vi' ? c.descriptionVi : c.descriptionEn}
                  </span>
                  <span className="pa-small pa-muted">
                    {t('answerWithin', { d: deadlineText(lang, c.answerWithin) })}
                  </span>
                </span>
              </label>
            ))}
          </div>
        )}
        {category === SPAM_CATEGORY && (
          <p className="pa-note">
            <AppLink to={SPAM_PATH}>{t('spamCategoryNote')}</AppLink>
          </p>
        )}
        {err('category')}
      </fieldset>

      <fieldset className="pa-step">
        <legend>{t('stepDescription')}</legend>
        <label htmlFor={`${id}-description`} className="pa-label">
          {t('descriptionLabel')}
        </label>
        <p className="pa-muted pa-small" id={`${id}-description-hint`}>
          {t('descriptionHint')}
        </p>
        <textarea
          id={`${id}-description`}
          className="pa-input"
          rows={6}
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            clear('description');
          }}
          aria-invalid={errors.description || over ? true : undefined}
          aria-describedby={`${id}-description-hint ${id}-description-count`}
          data-testid="description"
        />
        <p
          className={`pa-count${over ? ' pa-over' : ''}`}
          id={`${id}-description-count`}
          aria-live="polite"
        >
          {t('descriptionCount', {
            n: count.toLocaleString('de-DE'),
            max: DESCRIPTION_MAX.toLocaleString('de-DE'),
          })}
        </p>
        {err('description')}
      </fieldset>

      <PlaceField
        value={place}
        onChange={(p) => {
          setPlace(p);
          clear('place');
        }}
        error={errors.place}
      />

      <PhotoField
        upload={uploadPublicPhoto}
        max={PHOTOS_MAX}
        legend={t('stepPhotos')}
        hint={t('photosHint', { n: PHOTOS_MAX })}
        onChange={(done, busy) => {
          setPhotos(done);
          setPhotosBusy(busy);
          if (!busy) clear('photos');
        }}
      />
      {err('photos')}

      <fieldset className="pa-step">
        <legend>{t('stepContact')}</legend>
        <p className="pa-note">{t('contactNote')}</p>
        <label htmlFor={`${id}-phone`} className="pa-label">
          {t('phoneLabel')}
        </label>
        <input
          id={`${id}-phone`}
          className="pa-input"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={phone}
          onChange={(e) => {
            setPhone(e.target.value);
            clear('phone');
          }}
          aria-invalid={errors.phone ? true : undefined}
          data-testid="phone"
        />
        {err('phone')}
        <label htmlFor={`${id}-email`} className="pa-label">
          {t('emailLabel')}
        </label>
        <input
          id={`${id}-email`}
          className="pa-input"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            clear('email');
          }}
          aria-invalid={errors.email ? true : undefined}
          data-testid="email"
        />
        {err('email')}
      </fieldset>

      {err('form')}
      <button
        type="submit"
        className="pa-btn pa-btn-primary pa-btn-block"
        disabled={sending}
        data-testid="send-report"
      >
        {sending ? t('sending') : t('send')}
      </button>
    </form>
  );
}
