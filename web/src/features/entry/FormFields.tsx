import { useI18n } from '../../shared/i18n.ts';
import { groupFields } from './fields.ts';
import { FieldInput } from './FieldInput.tsx';
import type { FormEditor } from './useFormEditor.ts';

/** The form's fields in order; the options of one element share a fieldset. */
export function FormFields({ editor, readOnly }: { editor: FormEditor; readOnly: boolean }) {
  const { lang } = useI18n();
  const { control } = editor;
  const groups = groupFields(editor.fields);
  return (
    <div className="entry-fields">
      {groups.map((g) =>
        g.options ? (
          <fieldset key={g.element} className="entry-group">
            <legend>
              {lang === 'vi' ? g.fields[0]!.nameVi : g.fields[0]!.nameEn}
              {g.fields[0]!.unit ? (
                <span className="entry-unit-label"> ({g.fields[0]!.unit})</span>
              ) : null}
            </legend>
            {g.fields.map((f) => (
              <FieldInput
                key={f.key}
                field={f}
                label={(lang === 'vi' ? f.optionVi : f.optionEn) ?? f.categoryOptionCombo}
                control={control}
                readOnly={readOnly}
              />
            ))}
          </fieldset>
        ) : (
          <FieldInput
            key={g.element}
            field={g.fields[0]!}
            label={lang === 'vi' ? g.fields[0]!.nameVi : g.fields[0]!.nameEn}
            control={control}
            readOnly={readOnly}
          />
        ),
      )}
    </div>
  );
}
