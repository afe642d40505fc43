import { useEffect, useMemo, useRef, useState } from 'react';
import { GridLayout, noCompactor, useContainerWidth } from 'react-grid-layout';
import { PanelView } from './panels/PanelView.tsx';
import { readingOrder, rowsOf, wallRowHeight, type Board, type Variables } from './draft.ts';
import { PHONE, useMedia } from './useMedia.ts';
import { cellStyle, ViewGrid } from './ViewGrid.tsx';

/** The height of an element, following it. */
function useHeight() {
  const ref = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);
  return { ref, height };
}

/**
 * The board on a wall: its 12 columns across the screen and its rows shared out over the height
 * left under the header, so that the whole board shows without scrolling at any size.
 */
export function WallGrid({ board, variables }: { board: Board; variables: Variables }) {
  const phone = useMedia(PHONE);
  const { width, containerRef, mounted } = useContainerWidth({ measureBeforeMount: true });
  const { ref, height } = useHeight();
  const ordered = useMemo(
    () => readingOrder(board.panels.map((p) => ({ ...p, grid: p.panel.grid }))),
    [board],
  );
  const layout = useMemo(
    () => ordered.map(({ panel }) => ({ i: panel.id, ...panel.grid, static: true })),
    [ordered],
  );
  const gap = Math.round(Math.min(24, Math.max(8, height / 90)));
  const rowHeight = wallRowHeight(rowsOf(ordered), height, gap);
  // A phone cannot show a board's 12 columns: the panels one under another, and it scrolls.
  if (phone) return <ViewGrid board={board} variables={variables} wall />;
  return (
    <div ref={ref} className="board-wall-fill">
      <div ref={containerRef} className="board-grid" data-testid="board-grid">
        {mounted && height > 0 && (
          <GridLayout
            width={width}
            layout={layout}
            gridConfig={{ cols: 12, rowHeight, margin: [gap, gap], containerPadding: [0, gap] }}
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
                  wall
                />
              </div>
            ))}
          </GridLayout>
        )}
      </div>
    </div>
  );
}
