import { useWatch, type Control } from 'react-hook-form';
import {
  evaluateRule,
  type ElementItem,
  type ValidationOperator,
} from '../../../../src/domain/validation.ts';
import { formatNumber, type Lang } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import { fieldName, type EntryForm, type FormValues } from './fields.ts';

type Rule = EntryForm['rules'][number];

const WORDS = {
  vi: {
    title: 'Số liệu chưa khớp quy tắc kiểm tra',
    intro: 'Vẫn có thể lưu; hãy kiểm tra lại trước khi gửi.',
    high: 'mức cao',
    medium: 'mức trung bình',
    low: 'mức thấp',
    sides: 'Vế trái {left} {sign} vế phải {right} không đúng',
    pair: 'Vế trái {left}, vế phải {right}',
  },
  en: {
    title: 'The figures do not match a validation rule',
    intro: 'You can still save; check them before sending.',
    high: 'high',
    medium: 'medium',
    low: 'low',
    sides: 'Left side {left} {sign} right side {right} does not hold',
    pair: 'Left side {left}, right side {right}',
  },
} as const;

/** The comparison as a reader writes it. */
const SIGN: Record<ValidationOperator, string> = {
  equal_to: '=',
  not_equal_to: '≠',
  greater_than: '>',
  greater_than_or_equal_to: '≥',
  less_than: '<',
  less_than_or_equal_to: '≤',
  compulsory_pair: '',
  exclusive_pair: '',
};

const fill = (s: string, v: Record<string, string>) =>
  s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** A typed value as a number ("1.234,5" as Vietnamese types it, or "1234.5"); null if none. */
function numberOf(raw: string | undefined): number | null {
  const s = (raw ?? '').trim();
  if (!s) return null;
  const n = Number(/,/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s);
  return Number.isFinite(n) ? n : null;
}

/** The rules the typed values break, with both sides (the server's evaluation, in the browser). */
export function brokenRules(form: EntryForm, values: FormValues) {
  const read = (ref: ElementItem): number | null => {
    const keys = ref.option
      ? [`${ref.element}.${ref.option}`]
      : form.fields.filter((f) => f.dataElement === ref.element).map((f) => f.key);
    const nums = keys.map((k) => numberOf(values[fieldName(k)])).filter((n) => n !== null);
    return nums.length ? nums.reduce((a, b) => a + b, 0) : null;
  };
  return form.rules.flatMap((rule) => {
    const out = evaluateRule(rule, (ref) => (ref.kind === 'element' ? read(ref) : null));
    return out.status === 'violated' ? [{ rule, left: out.left, right: out.right }] : [];
  });
}

/**
 * Above the save button: the validation rules the typed values break, as they are typed
 * (issue 17), with the rule's instruction. A warning, not a refusal: the server checks the
 * same rules on save and reports them.
 */
export function RuleWarnings({ form, control }: { form: EntryForm; control: Control<FormValues> }) {
  const { lang } = useI18n();
  const values = useWatch({ control }) as FormValues;
  if (form.rules.length === 0) return null;
  const broken = brokenRules(form, values);
  return (
    <div className="entry-rule-warnings" role="status" aria-live="polite">
      {broken.length > 0 && (
        <div className="warning" data-testid="entry-rule-warnings">
          <p className="warning-title">
            <span aria-hidden="true">⚠ </span>
            {WORDS[lang].title}
          </p>
          <p>{WORDS[lang].intro}</p>
          <ul>
            {broken.map((b) => (
              <li key={b.rule.code} data-rule={b.rule.code}>
                {describe(lang, b.rule, b.left, b.right)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function describe(lang: Lang, rule: Rule, left: number | null, right: number | null): string {
  const w = WORDS[lang];
  const n = (x: number | null) => (x === null ? '—' : formatNumber(lang, x, { decimals: 2 }));
  const name = lang === 'vi' ? rule.nameVi : rule.nameEn;
  const level = w[rule.importance.toLowerCase() as 'high' | 'medium' | 'low'];
  const pair = rule.operator === 'compulsory_pair' || rule.operator === 'exclusive_pair';
  const sides = fill(pair ? w.pair : w.sides, {
    left: n(left),
    right: n(right),
    sign: SIGN[rule.operator],
  });
  const how = lang === 'vi' ? rule.instructionVi : rule.instructionEn;
  return [`${name} (${level})`, sides, how ?? ''].filter(Boolean).join('. ');
}
