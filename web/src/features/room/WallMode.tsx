import { useEffect, useState, type ReactNode } from 'react';
import type { OverviewT } from './messages.ts';

const PANELS = ['trend', 'ranking', 'alerts'] as const;
type Panel = (typeof PANELS)[number];
const WALL_ROTATE_MS = 20_000;

/** Wall mode: the side panel rotates every 20 s unless paused. */
export function useWallRotation(wall: boolean) {
  const [panel, setPanel] = useState(0);
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (!wall || paused) return;
    const id = setInterval(() => setPanel((p) => (p + 1) % PANELS.length), WALL_ROTATE_MS);
    return () => clearInterval(id);
  }, [wall, paused]);
  return { panel, setPanel, paused, togglePaused: () => setPaused((p) => !p) };
}

/** The wall screen's grid: the map, and beside it one panel at a time with its dots. */
export function WallGrid({
  t,
  panel,
  onPanel,
  map,
  panels,
}: {
  t: OverviewT;
  panel: number;
  onPanel: (i: number) => void;
  map: ReactNode;
  panels: Record<Panel, ReactNode>;
}) {
  return (
    <div className="wall-grid">
      {map}
      <div className="wall-side">
        <div
          className="wall-dots"
          role="group"
          aria-label={t('wallPanel', { i: panel + 1, n: PANELS.length })}
        >
          {PANELS.map((p, i) => (
            <button
              key={p}
              type="button"
              className={`wall-dot${i === panel ? ' on' : ''}`}
              aria-label={t('wallPanel', { i: i + 1, n: PANELS.length })}
              aria-pressed={i === panel}
              onClick={() => onPanel(i)}
            />
          ))}
        </div>
        {panels[PANELS[panel]!]}
      </div>
    </div>
  );
}
