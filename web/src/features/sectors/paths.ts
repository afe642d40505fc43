import { SECTOR_SLUGS, type SectorCode } from './messages.ts';

export const SECTORS_PATH = '/linh-vuc';
const MONTH_PARAM = 'thang';

/** `/linh-vuc/an-toan-thong-tin?thang=2022-01`: a sector's page, at a month if one is given. */
export const sectorPath = (code: SectorCode, month?: string | null) =>
  `${SECTORS_PATH}/${SECTOR_SLUGS[code]}${month ? `?${MONTH_PARAM}=${encodeURIComponent(month)}` : ''}`;
