import { z } from '@hono/zod-openapi';
import {
  BOARD_PANEL_MAX,
  GRID_COLUMNS,
  GRID_ROWS_MAX,
  gridProblems,
  isBoardPeriod,
  PANEL_KINDS,
} from '../domain/board.ts';
import { ROLES } from '../domain/access.ts';
import { ErrorResponse, multilineText, plainText } from './common.ts';
import { AnalyticsCell } from './analytics.ts';
import { Alert } from './alert.ts';
import { TaskCounts } from './directive.ts';

/** Boards (issue 19): a named grid of panels, its variables, tree and sharing. */

const code = (max = 80) =>
  plainText()
    .min(1)
    .max(max)
    .refine((s) => /^[^\s.]+$/.test(s), {
      message: 'A code, without spaces or dots',
      params: { vi: 'Một mã, không có khoảng trắng hay dấu chấm' },
    });

export const BoardFigure = plainText()
  .min(1)
  .max(161)
  .refine((s) => /^[^\s.]+(\.[^\s.]+)?$/.test(s), {
    message: 'An element or indicator code, or ELEMENT.OPTION',
    params: { vi: 'Mã chỉ tiêu hoặc chỉ số, hoặc CHỈ_TIÊU.PHƯƠNG_ÁN' },
  })
  .openapi({
    description: 'A data element or indicator code, or `ELEMENT.OPTION` for one breakdown option',
    example: 'POSITIVE_CASES',
  });

export const BoardUnit = z
  .union([
    code(40).openapi({
      description:
        "A unit code, `my_unit` (the viewer's unit), `children` (the units under the panel's unit) or `$unit` (the board's unit variable)",
    }),
    z.object({ level: z.number().int().min(1).max(9), under: code(40).optional() }).strict(),
    z.object({ group: code(80) }).strict(),
  ])
  .openapi('BoardUnit');

export const BoardPeriod = plainText()
  .min(1)
  .max(40)
  .refine(isBoardPeriod, {
    message: 'Not a period: a DHIS2 period id (202611, 2026W48), a relative one or $period',
    params: {
      vi: 'Không phải kỳ: mã kỳ DHIS2 (202611, 2026W48), kỳ tương đối (LAST_12_MONTHS) hoặc $period',
    },
  })
  .openapi({
    description:
      'A DHIS2 period id (20261123, 202611, 2026W48, 2026Q4, 2026), a relative period as the analytics take it (THIS_MONTH, LAST_12_MONTHS, LAST_7_DAYS…) or `$period`',
    example: 'LAST_12_MONTHS',
  });

export const GridPosition = z
  .object({
    x: z
      .number()
      .int()
      .min(0)
      .max(GRID_COLUMNS - 1),
    y: z
      .number()
      .int()
      .min(0)
      .max(GRID_ROWS_MAX - 1),
    w: z.number().int().min(1).max(GRID_COLUMNS),
    h: z.number().int().min(1).max(GRID_ROWS_MAX),
  })
  .strict()
  .openapi('GridPosition', {
    description: `On a ${GRID_COLUMNS}-column grid: x + w ≤ ${GRID_COLUMNS}, y + h ≤ ${GRID_ROWS_MAX}; panels do not overlap`,
  });

const panelBase = {
  id: code(40).openapi({ description: 'Unique within the board' }),
  title: plainText().max(200).optional(),
  grid: GridPosition,
  figures: z.array(BoardFigure).max(20).default([]),
  units: z.array(BoardUnit).max(50).default([]),
  periods: z.array(BoardPeriod).max(60).default([]),
};

const DX_PE_OU = z.enum(['dx', 'pe', 'ou']);

const panel = <K extends (typeof PANEL_KINDS)[number], O extends z.ZodType>(kind: K, options: O) =>
  z.object({ ...panelBase, kind: z.literal(kind), options }).strict();

export const BoardPanel = z
  .discriminatedUnion('kind', [
    panel(
      'tile',
      z
        .object({
          compare: z
            .array(z.enum(['previous', 'last_year']))
            .max(2)
            .optional(),
          target: z.number().optional(),
        })
        .strict()
        .default({}),
    ),
    panel(
      'map',
      z
        .object({
          style: z.enum(['choropleth', 'bubbles']).default('choropleth'),
          level: z.number().int().min(1).max(9).optional().openapi({
            description: 'The level drawn (1: provinces); default: the level of the panel’s units',
          }),
          version: plainText()
            .max(20)
            .optional()
            .openapi({ description: 'Another tree than the board’s' }),
        })
        .strict()
        .default({ style: 'choropleth' }),
    ),
    panel('trend', z.object({}).strict().default({})),
    panel(
      'ranking',
      z
        .object({
          order: z.enum(['desc', 'asc']).default('desc'),
          limit: z.number().int().min(1).max(100).default(10),
        })
        .strict()
        .default({ order: 'desc', limit: 10 }),
    ),
    panel(
      'pivot',
      z
        .object({ rows: z.array(DX_PE_OU).min(1).max(3), columns: z.array(DX_PE_OU).max(3) })
        .strict()
        .refine((o) => o.rows.every((r) => !o.columns.includes(r)), {
          message: 'A dimension is in both rows and columns',
          params: { vi: 'Một chiều nằm cả ở hàng và cột' },
        }),
    ),
    panel('breakdown', z.object({}).strict().default({})),
    panel(
      'alerts',
      z
        .object({ limit: z.number().int().min(1).max(100).default(10) })
        .strict()
        .default({ limit: 10 }),
    ),
    panel('directive', z.object({ directive: z.number().int().positive() }).strict()),
    panel('text', z.object({ text: multilineText().max(5000) }).strict()),
  ])
  .openapi('BoardPanel', {
    description: `One of: ${PANEL_KINDS.join(', ')}; its options depend on the kind`,
  });

const panels = z
  .array(BoardPanel)
  .superRefine((list, ctx) => {
    if (list.length > BOARD_PANEL_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `A board holds at most ${BOARD_PANEL_MAX} panels; this one has ${list.length}`,
        params: { vi: `Một bảng có tối đa ${BOARD_PANEL_MAX} ô; bảng này có ${list.length} ô` },
      });
      return;
    }
    const seen = new Map<string, number>();
    list.forEach((p, i) => {
      const first = seen.get(p.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `Panel id "${p.id}" repeats panel ${first + 1}`,
          params: { vi: `Mã ô "${p.id}" trùng với ô ${first + 1}` },
        });
      else seen.set(p.id, i);
    });
    for (const g of gridProblems(list.map((p) => p.grid)))
      ctx.addIssue({
        code: 'custom',
        path: [g.index, 'grid'],
        message: g.en,
        params: { vi: g.vi },
      });
  })
  .openapi({ description: `At most ${BOARD_PANEL_MAX} panels, on the grid without overlapping` });

export const BoardVariables = z
  .object({
    unit: code(40)
      .optional()
      .openapi({ description: 'A unit code or `my_unit` (default: the viewer’s unit)' }),
    period: BoardPeriod.optional().openapi({ description: 'Default: THIS_MONTH' }),
  })
  .strict()
  .openapi('BoardVariables');

export const BOARD_UID = /^[A-Za-z0-9_-]{1,64}$/;

/** What a board file and a write carry: everything but the sharing and the bookkeeping. */
const documentFields = {
  uid: plainText()
    .refine((s) => BOARD_UID.test(s), {
      message: 'Letters, digits, _ and -, at most 64',
      params: { vi: 'Chữ, số, _ và -, tối đa 64 ký tự' },
    })
    .optional()
    .openapi({ description: 'Stable across export and import; made up when not given' }),
  name: plainText().min(1).max(200),
  description: multilineText().max(2000).default(''),
  version: plainText()
    .max(20)
    .optional()
    .openapi({ description: 'The tree the board’s units are codes of (default: the viewer’s)' }),
  variables: BoardVariables.default({}),
  panels,
};

export const BoardShare = z
  .object({
    kind: z.enum(['unit', 'role', 'user']).openapi({
      description:
        'unit: the people of the unit and its subtree (and those above it); role: holders of `role` there; user: one person (by login)',
    }),
    unit: code(40).optional().openapi({ description: 'For unit and role (default: your unit)' }),
    role: z.enum(ROLES).optional(),
    user: plainText().min(1).max(100).optional().openapi({ description: 'A login' }),
    access: z.enum(['read', 'edit']).default('read'),
  })
  .strict()
  .superRefine((s, ctx) => {
    const need = (field: 'unit' | 'role' | 'user') =>
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `A ${s.kind} share needs \`${field}\``,
        params: { vi: `Chia sẻ kiểu ${s.kind} cần \`${field}\`` },
      });
    if (s.kind === 'unit' && !s.unit) need('unit');
    if (s.kind === 'role' && !s.role) need('role');
    if (s.kind === 'user' && !s.user) need('user');
  })
  .openapi('BoardShare');

export const BoardInput = z
  .object({ ...documentFields, shares: z.array(BoardShare).max(100).default([]) })
  .strict()
  .openapi('BoardInput');

export const BoardUpdate = BoardInput.extend({
  shares: z
    .array(BoardShare)
    .max(100)
    .optional()
    .openapi({ description: 'Replaces the sharing when given; kept as it is when not' }),
  revision: z.number().int().positive().openapi({
    description: 'The revision read: if the board changed since, the update is refused (409)',
  }),
}).openapi('BoardUpdate');

export const BOARD_FILE_FORMAT = 'opsroom.board';

/** A board file: self-contained (codes, not database ids), without its sharing. */
export const BoardFile = z
  .object({
    format: z.literal(BOARD_FILE_FORMAT),
    formatVersion: z.literal(1),
    ...documentFields,
    uid: documentFields.uid.unwrap(),
  })
  .strict()
  .openapi('BoardFile', {
    description: `A board as JSON metadata: \`${BOARD_FILE_FORMAT}\` version 1; at most ${BOARD_PANEL_MAX} panels`,
  });

export const PanelProblem = z
  .object({
    code: z.enum([
      'unknown_figure',
      'unknown_unit',
      'unknown_tree',
      'out_of_scope',
      'unknown_group',
      'unknown_directive',
    ]),
    vi: z.string(),
    en: z.string(),
  })
  .openapi('PanelProblem', {
    description: 'Why this viewer cannot be shown the panel; the rest of the board opens',
  });

export const BoardView = z
  .object({
    id: z.number(),
    uid: z.string(),
    name: z.string(),
    description: z.string(),
    version: z.string().optional(),
    variables: BoardVariables,
    panels: z.array(
      z.object({ panel: BoardPanel, problem: PanelProblem.nullable() }).openapi('BoardPanelView'),
    ),
    shares: z.array(
      z.object({
        kind: z.enum(['unit', 'role', 'user']),
        unit: z.string().optional(),
        version: z.string().optional(),
        role: z.string().optional(),
        user: z.string().optional(),
        access: z.enum(['read', 'edit']),
      }),
    ),
    owner: z.object({ name: z.string(), mine: z.boolean() }),
    canEdit: z.boolean(),
    revision: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Board');

export const BoardListItem = z
  .object({
    id: z.number(),
    uid: z.string(),
    name: z.string(),
    description: z.string(),
    panelCount: z.number(),
    owner: z.object({ name: z.string(), mine: z.boolean() }),
    canEdit: z.boolean(),
    revision: z.number(),
    updatedAt: z.string(),
  })
  .openapi('BoardListItem');

export const BoardDefaultView = z
  .object({
    source: z.enum(['unit', 'ancestor', 'shipped']).openapi({
      description:
        'The unit’s own default, the nearest ancestor’s, or the board shipped with Opsroom (`board` has id 0)',
    }),
    unit: z.string().nullable().openapi({ description: 'Whose default it is' }),
    board: BoardView,
  })
  .openapi('BoardDefault');

/**
 * `POST /api/boards/panel-data`: one panel's figures for this viewer, with the board's variables
 * applied (a saved board's panel or one still being built: the same rule of scope either way).
 */
export const PanelDataRequest = z
  .object({
    panel: BoardPanel,
    variables: BoardVariables.default({}),
    version: plainText().max(20).optional().openapi({ description: 'The board’s tree' }),
  })
  .strict()
  .openapi('PanelDataRequest');

const Named = z.object({ code: z.string(), name: z.string() });

export const PanelData = z
  .object({
    kind: z.enum(PANEL_KINDS),
    problem: PanelProblem.nullable().openapi({
      description: 'Set when the panel cannot be shown to this viewer; the rest is then empty',
    }),
    version: z.string(),
    unit: Named.extend({ level: z.number() })
      .nullable()
      .openapi({ description: 'The board’s unit variable, resolved' }),
    period: z
      .object({ id: z.string(), label: z.string() })
      .nullable()
      .openapi({ description: 'The board’s period variable, resolved' }),
    query: z
      .object({
        dx: z.array(z.string()),
        pe: z.array(z.string()),
        ou: z.array(z.string()),
        version: z.string(),
      })
      .nullable()
      .openapi({
        description:
          'The panel’s question as /api/analytics(.csv|.xlsx) takes it (units and periods resolved): its data as a file',
      }),
    figures: z.array(
      Named.extend({
        kind: z.enum(['element', 'indicator']),
        direction: z.enum(['rise_good', 'rise_bad', 'neutral']),
        option: z.string().optional(),
        unit: z.string().nullable().openapi({ description: 'Its unit (`%` for a percentage)' }),
        valueType: z.string().optional().openapi({ description: 'An element’s value type' }),
        decimals: z.number().optional().openapi({ description: 'An indicator’s decimals' }),
      }),
    ),
    periods: z.array(z.object({ id: z.string(), label: z.string() })),
    units: z.array(Named.extend({ level: z.number(), parent: z.string().nullable() })),
    cells: z.array(AnalyticsCell).openapi({
      description:
        'Tile, map, trend, ranking, breakdown and pivot: the values (a tile’s with its comparisons and target)',
    }),
    pivot: z
      .object({
        rows: z.array(DX_PE_OU),
        columns: z.array(DX_PE_OU),
        rowHeaders: z.array(z.array(z.object({ id: z.string(), label: z.string() }))),
        columnHeaders: z.array(z.array(z.object({ id: z.string(), label: z.string() }))),
        values: z.array(z.array(z.number().nullable())),
      })
      .nullable()
      .openapi({
        description:
          'Pivot only: one header list per row (and per column) with one item per dimension, and values[row][column]',
      }),
    alerts: z.array(Alert).nullable().openapi({ description: 'Alerts panel only: open alerts' }),
    directive: z
      .object({
        id: z.number(),
        title: z.string(),
        dueDate: z.string().nullable(),
        ...TaskCounts,
      })
      .nullable()
      .openapi({ description: 'Directive panel only: its progress in the viewer’s scope' }),
    asOf: z.string().openapi({ description: 'When these figures were read' }),
  })
  .openapi('PanelData');

/**
 * `GET /api/boards/{id}/data`: one line of its answer (NDJSON) per panel of the board, in
 * reading order on the embedded engine, as each is ready on a server: the panel's data as
 * GET …/panels/{panel}/data answers it, or the error that panel met (the others still come).
 */
export const BoardDataFrame = z
  .union([
    z.object({ panel: z.string(), data: PanelData }),
    z.object({ panel: z.string(), error: ErrorResponse.shape.error }),
  ])
  .openapi('BoardDataFrame');

export const BoardId = z.object({ id: z.coerce.number().int().positive() });

/** `GET /api/boards/{id}/pdf`: the board's variables, as its panels' data routes take them. */
export const BoardPdfQuery = z
  .object({
    unit: plainText()
      .max(40)
      .optional()
      .openapi({ description: 'The board’s unit variable: a unit code or `my_unit`' }),
    period: BoardPeriod.optional().openapi({ description: 'The board’s period variable' }),
    lang: z.enum(['vi', 'en']).optional().openapi({ description: 'The document’s language' }),
  })
  .openapi('BoardPdfQuery');

export type BoardPanel = z.infer<typeof BoardPanel>;
export type BoardInput = z.infer<typeof BoardInput>;
export type BoardUpdate = z.infer<typeof BoardUpdate>;
export type BoardFile = z.infer<typeof BoardFile>;
export type BoardShare = z.infer<typeof BoardShare>;
export type BoardView = z.infer<typeof BoardView>;
export type PanelProblem = z.infer<typeof PanelProblem>;
export type PanelDataRequest = z.infer<typeof PanelDataRequest>;
export type PanelData = z.infer<typeof PanelData>;
export type BoardDataFrame = z.infer<typeof BoardDataFrame>;
