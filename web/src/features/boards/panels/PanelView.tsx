import type { ReactElement } from 'react';
import type { Schemas } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n.ts';

/**
 * Placeholder until the `board-panels` branch brings the real panel: the title, the kind and why
 * it cannot be shown. Same props as the real one.
 */
export function PanelView(props: {
  panel: Schemas['BoardPanel'];
  variables: { unit?: string; period?: string };
  version?: string;
  boardId?: number;
  boardName: string;
  wall?: boolean;
  problem?: Schemas['PanelProblem'] | null;
}): ReactElement {
  const { lang } = useI18n();
  const { panel, problem } = props;
  return (
    <section className="bp-placeholder" data-testid={`panel-${panel.id}`} data-kind={panel.kind}>
      <h2>{panel.title || panel.id}</h2>
      <p className="muted">{panel.kind}</p>
      {panel.kind === 'text' && <p>{panel.options.text}</p>}
      {problem && <p role="note">{problem[lang]}</p>}
    </section>
  );
}
