import { useMemo, type CSSProperties } from 'react';
import { GridLayout, noCompactor, useContainerWidth } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import { PanelView } from './panels/PanelView.tsx';
import { phoneRows, readingOrder, type Board, type Variables } from './draft.ts';
import { PHONE, useMedia } from './useMedia.ts';

/** The grid's measures on a screen: rows of 80 px (a tile of 2 rows shows its figure), 12 px apart. */
export const ROW_HEIGHT = 80;
export const GAP = 12;

/** A panel's box: its place on the 12 columns for print (`--x`, `--w`, `--h`). */
export function cellStyle(g: { x: number; w: number; h: number }): CSSProperties {
  return { '--x': g.x, '--w': g.w, '--h': g.h } as CSSProperties;
}

/**
 * The board's panels, read-only, on the 12-column grid; on a phone (≤ 640 px) one per row in
 * reading order, each as tall as its kind needs. The two layouts are the grid's breakpoints,
 * chosen by the same media query as the rest of the app's phone layout (react-grid-layout's
 * Responsive kept its breakpoint in its own state and, on some loads, drew the phone's layout on
 * 12 columns: measured, so the choice is made here and the grid is remade when it changes).
 */
export function ViewGrid({
  board,
  variables,
  wall = false,
}: {
  board: Board;
  variables: Variables;
  /** A wall on a phone: the wall's panels, stacked. */
  wall?: boolean;
}) {
  const phone = useMedia(PHONE);
  const { width, containerRef, mounted } = useContainerWidth({ measureBeforeMount: true });
  const ordered = useMemo(
    () => readingOrder(board.panels.map((p) => ({ ...p, grid: p.panel.grid }))),
    [board],
  );
  const layout = useMemo(() => {
    if (!phone) return ordered.map(({ panel }) => ({ i: panel.id, ...panel.grid, static: true }));
    let y = 0;
    return ordered.map(({ panel }) => {
      const h = phoneRows(panel.kind, panel.grid.h);
      const box = { i: panel.id, x: 0, y, w: 1, h, static: true };
      y += h;
      return box;
    });
  }, [ordered, phone]);
  return (
    <div ref={containerRef} className="board-grid" data-testid="board-grid">
      {mounted && (
        <GridLayout
          key={phone ? 'phone' : 'grid'}
          width={width}
          layout={layout}
          gridConfig={{
            cols: phone ? 1 : 12,
            rowHeight: ROW_HEIGHT,
            margin: [GAP, GAP],
            containerPadding: [0, 0],
          }}
          compactor={noCompactor}
          dragConfig={{ enabled: false }}
          resizeConfig={{ enabled: false }}
        >
          {ordered.map(({ panel, problem }) => (
            <div key={panel.id} className="board-cell" style={cellStyle(panel.grid)}>
              <PanelView
                panel={panel}
                problem={problem}
                variables={variables}
                version={board.version}
                boardId={board.id || undefined}
                boardName={board.name}
                wall={wall}
              />
            </div>
          ))}
        </GridLayout>
      )}
    </div>
  );
}
