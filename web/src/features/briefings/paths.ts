/** `/bao-cao`: the briefings; `/bao-cao/12`: one briefing (its route: web/src/app/router.tsx). */
export const BRIEFINGS_PATH = '/bao-cao';

export const briefingPath = (id: number) => `${BRIEFINGS_PATH}/${id}`;

export type ExportFormat = 'docx' | 'xlsx' | 'pdf' | 'csv';

/** An export is a plain download: the server answers the suffix with the file. */
export const exportUrl = (id: number, format: ExportFormat) => `/api/briefings/${id}.${format}`;
