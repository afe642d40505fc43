/** The boards' addresses (issue 19). */
export const BOARDS_PATH = '/bang';
export const PLAYLIST_PATH = '/trinh-chieu';
export const NEW_BOARD = 'moi';
/** The unit's default board when it is the one shipped with Opsroom (it has no id). */
export const DEFAULT_BOARD = 'mac-dinh';

/** The viewer's choice of the board's variables, carried in the address (`dv`, `ky`). */
export interface ChosenVariables {
  dv?: string;
  ky?: string;
}

/**
 * A board's page; `mode`: its builder (`sua`) or its wall screen (`wall`); the unit and period
 * chosen ride along.
 */
export function boardPath(
  id: number | string,
  mode?: 'sua' | 'wall',
  chosen: ChosenVariables = {},
): string {
  const q = new URLSearchParams();
  if (mode === 'sua') q.set('sua', '1');
  if (mode === 'wall') q.set('wall', '1');
  if (chosen.dv) q.set('dv', chosen.dv);
  if (chosen.ky) q.set('ky', chosen.ky);
  const s = q.toString();
  return `${BOARDS_PATH}/${id}${s ? '?' + s : ''}`;
}

/** The slideshow of boards `ids`, `seconds` each. */
export function playlistPath(ids: readonly number[], seconds: number): string {
  return `${PLAYLIST_PATH}/?bang=${ids.join(',')}&giay=${seconds}`;
}

/** The slideshow's boards and seconds from its query: at least 5 s, 30 s when not said. */
export function readPlaylist(bang: string | undefined, giay: string | undefined) {
  const ids = (bang ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const s = Number(giay);
  return { ids, seconds: Number.isFinite(s) && s > 0 ? Math.max(5, Math.round(s)) : 30 };
}
