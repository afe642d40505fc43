import { GridLayout, noCompactor, useContainerWidth, type Layout } from 'react-grid-layout';
import { itemOf } from '../room/data.ts';
import { useCatalogue } from './panels/data.ts';
import { PanelView } from './panels/PanelView.tsx';
import {
  applyLayout,
  panelLabel,
  readingOrder,
  type Draft,
  type Panel,
  type Variables,
} from './draft.ts';
import { PHONE, useMedia } from './useMedia.ts';
import { useBoardText } from './messages.ts';
import { cellStyle, GAP, ROW_HEIGHT } from './ViewGrid.tsx';

/**
 * The builder's grid: each panel dragged by its title bar and resized by its corner on 12
 * columns; its bar's buttons edit or remove it (the keyboard's way in).
 */
export function EditGrid({
  draft,
  variables,
  onPanels,
  onEdit,
  onRemove,
}: {
  draft: Draft;
  variables: Variables;
  onPanels: (panels: Panel[]) => void;
  onEdit: (p: Panel) => void;
  onRemove: (p: Panel) => void;
}) {
  const { lang, t } = useBoardText();
  const narrow = useMedia(PHONE);
  const cat = useCatalogue().data;
  const figureName = (code: string) => {
    const item = cat ? itemOf(cat, code) : undefined;
    return item ? (lang === 'vi' ? item.nameVi : item.nameEn) : code;
  };
  const { width, containerRef, mounted } = useContainerWidth({ measureBeforeMount: true });
  const layout = draft.panels.map((p) => ({ i: p.id, ...p.grid }));
  const changed = (l: Layout) => {
    const next = applyLayout(draft.panels, l);
    if (next.some((p, i) => p !== draft.panels[i])) onPanels(next);
  };
  const cell = (p: Panel) => {
    const label = panelLabel(p, t(`kind_${p.kind}`), figureName);
    return (
      <div key={p.id} className="board-cell" style={cellStyle(p.grid)} data-testid={`cell-${p.id}`}>
        <div className="board-cell-bar">
          <span className="board-cell-handle" title={t('dragHint')}>
            <span aria-hidden="true">⠿ </span>
            {label}
          </span>
          <span className="board-cell-tools">
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('editPanelNamed', { name: label })}
              onClick={() => onEdit(p)}
            >
              {t('editPanel')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('removePanelNamed', { name: label })}
              onClick={() => onRemove(p)}
            >
              ×
            </button>
          </span>
        </div>
        <div className="board-cell-body">
          {/* No boardId: a panel being built is sent as it is, not read as saved. */}
          <PanelView
            panel={p}
            variables={variables}
            version={draft.version}
            boardName={draft.name}
          />
        </div>
      </div>
    );
  };
  // A phone has no room to drag 12 columns: the panels one under another, edited in the dialog.
  if (narrow)
    return (
      <div className="board-stack" data-testid="board-edit-grid">
        {readingOrder(draft.panels).map((p) => (
          <div key={p.id} className={`board-stack-item kind-${p.kind}`}>
            {cell(p)}
          </div>
        ))}
      </div>
    );
  return (
    <div ref={containerRef} className="board-grid editing" data-testid="board-edit-grid">
      {mounted && (
        <GridLayout
          width={width}
          layout={layout}
          gridConfig={{
            cols: 12,
            rowHeight: ROW_HEIGHT,
            margin: [GAP, GAP],
            containerPadding: [0, 0],
            maxRows: 200,
          }}
          dragConfig={{ enabled: true, handle: '.board-cell-handle', cancel: '.board-cell-tools' }}
          resizeConfig={{ enabled: true, handles: ['se'] }}
          compactor={noCompactor}
          onLayoutChange={changed}
        >
          {draft.panels.map(cell)}
        </GridLayout>
      )}
    </div>
  );
}
