import { useMemo, type CSSProperties } from 'react';
import { noCompactor, Responsive, useContainerWidth } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import { PanelView } from './panels/PanelView.tsx';
import { phoneRows, readingOrder, type Board, type Variables } from './draft.ts';
import { PHONE, useMedia } from './useMedia.ts';

/** The grid's measures on a screen: rows of 56 px, 12 px apart. */
export const ROW_HEIGHT = 56;
export const GAP = 12;
const BREAKPOINTS = { lg: 641, xs: 0 };
const COLS = { lg: 12, xs: 1 };
const MARGIN: [number, number] = [GAP, GAP];
const PADDING: [number, number] = [0, 0];

/** A panel's box: its place on the 12 columns for print (`--x`, `--w`, `--h`). */
export function cellStyle(g: { x: number; w: number; h: number }): CSSProperties {
  return { '--x': g.x, '--w': g.w, '--h': g.h } as CSSProperties;
}

/**
 * The board's panels, read-only, on the 12-column grid; on a phone (≤ 640 px) one per row in
 * reading order, each as tall as its kind needs.
 */
export function ViewGrid({ board, variables }: { board: Board; variables: Variables }) {
  const phone = useMedia(PHONE);
  const { width, containerRef, mounted } = useContainerWidth({ measureBeforeMount: true });
  const ordered = useMemo(
    () => readingOrder(board.panels.map((p) => ({ ...p, grid: p.panel.grid }))),
    [board],
  );
  const layouts = useMemo(() => {
    let y = 0;
    return {
      lg: ordered.map(({ panel }) => ({ i: panel.id, ...panel.grid, static: true })),
      xs: ordered.map(({ panel }) => {
        const h = phoneRows(panel.kind, panel.grid.h);
        const box = { i: panel.id, x: 0, y, w: 1, h, static: true };
        y += h;
        return box;
      }),
    };
  }, [ordered]);
  return (
    <div ref={containerRef} className="board-grid" data-testid="board-grid">
      {mounted && (
        <Responsive
          width={width}
          breakpoint={phone ? 'xs' : 'lg'}
          breakpoints={BREAKPOINTS}
          cols={COLS}
          layouts={layouts}
          rowHeight={ROW_HEIGHT}
          margin={MARGIN}
          containerPadding={PADDING}
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
              />
            </div>
          ))}
        </Responsive>
      )}
    </div>
  );
}
