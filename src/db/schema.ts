import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables created by `migrations/*.sql`. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A timestamp without a default: every insert gives it. */
type GivenTimestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface HierarchyVersionTable {
  id: string;
  name: string;
  valid_from: string;
  valid_until: string | null;
  source: string | null;
  imported_at: Timestamp;
}

export interface OrgUnitTable {
  id: Generated<number>;
  uid: string | null;
  version: string;
  code: string;
  level: number;
  kind: string;
  type: string;
  name: string;
  full_name: string;
  name_en: string | null;
  parent_code: string | null;
  path: string;
  region: number | null;
  /** 'official' (the official units files) or 'added' (a metadata import; keyed by uid). Migration 0012. */
  origin: ColumnType<'official' | 'added', 'official' | 'added' | undefined, 'official' | 'added'>;
  /** An added unit's code in its source (DHIS2's free-text code). */
  source_code: ColumnType<string | null, string | null | undefined, string | null>;
  short_name: ColumnType<string | null, string | null | undefined, string | null>;
  opening_date: ColumnType<string | null, string | null | undefined, string | null>;
  closed_date: ColumnType<string | null, string | null | undefined, string | null>;
  /** Keeps roll-up rows: a root, a province, or a unit with >= 64 units below (migration 0018). */
  rollup: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface OrgUnitChangeTable {
  id: Generated<number>;
  version: string;
  code: string;
  effective: string | null;
  decree: string;
  type_before: string;
  type_after: string;
  full_name_before: string;
  full_name_after: string;
}

export interface OrgUnitLinkTable {
  from_version: string;
  from_code: string;
  from_name: string;
  to_version: string;
  to_code: string;
  part: 'full' | 'partial' | 'within';
  stale: boolean;
  /** 'file' (a mapping file), or derived (migration 0018): 'code' (same code), 'province' (within). */
  basis: ColumnType<LinkBasis, LinkBasis | undefined, LinkBasis>;
}

export type LinkBasis = 'file' | 'code' | 'province';

export interface OrgUnitNameTable {
  version: string;
  code: string;
  search_text: string;
  display_name: string;
  source: 'own' | 'renamed' | 'former';
  former_version: string | null;
  former_code: string | null;
}

export interface GroupDefinition {
  codes?: string[];
  under?: { code: string; level: number }[];
  groups?: string[];
}

export interface UnitGroupTable {
  id: Generated<number>;
  version: string;
  code: string;
  name: string;
  description: string | null;
  definition: Json<GroupDefinition>;
  owner_code: string;
  created_at: Timestamp;
  created_by: string | null;
}

export interface UnitGroupMemberTable {
  group_id: number;
  version: string;
  unit_code: string;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  scope_version: string;
  scope_code: string;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled: Generated<boolean>;
  created_at: Timestamp;
}

/** Sign-in throttling (migration 0008); '' in `username` or `address` means "any". */
export interface SigninThrottleTable {
  username: string;
  address: string;
  failures: Generated<number>;
  last_failure_at: Date | null;
  blocked_until: Date | null;
  last_success_at: Date | null;
}

/** Public rate limits (migration 0036): requests per key in a fixed window. */
export interface RateLimitTable {
  key: string;
  window_start: Date;
  window_end: Date;
  hits: number;
}

export interface AppSessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Date;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  secret_hash: string;
  scope_version: string;
  scope_code: string;
  permissions: Json<string[]>;
  created_by: number | null;
  created_at: Timestamp;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: Timestamp;
  actor_kind: 'user' | 'token' | 'system' | 'citizen';
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  unit_version: string | null;
  unit_code: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  request_id: string | null;
}

export interface OrgUnitAncestorTable {
  unit_id: number;
  ancestor_id: number;
  depth: number;
}

interface Named {
  id: Generated<number>;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
}

export interface BreakdownTable extends Named {
  /** Migration 0012: an ATTRIBUTE combo's options are attribute options. */
  dimension_type: Generated<'DISAGGREGATION' | 'ATTRIBUTE'>;
}

export interface BreakdownOptionTable extends Named {
  breakdown_id: number;
  sort_order: Generated<number>;
}

export interface AttributeOptionTable extends Named {
  /** Migration 0012: the attribute combo it belongs to, when it came from one. */
  breakdown_id: ColumnType<number | null, number | null | undefined, number | null>;
}

// DHIS2's category model behind breakdowns (migration 0012).
export interface CategoryOptionTable {
  id: Generated<number>;
  uid: string;
  code: string | null;
  name: string;
  short_name: string | null;
}
export interface CategoryTable {
  id: Generated<number>;
  uid: string;
  code: string | null;
  name: string;
  dimension_type: Generated<'DISAGGREGATION' | 'ATTRIBUTE'>;
}
export interface CategoryMemberTable {
  category_id: number;
  option_id: number;
  sort_order: number;
}
export interface BreakdownCategoryTable {
  breakdown_id: number;
  category_id: number;
  sort_order: number;
}
export interface BreakdownOptionPartTable {
  option_id: number;
  category_option_id: number;
}
export interface AttributeOptionPartTable {
  attribute_id: number;
  category_option_id: number;
}
export interface IndicatorTypeTable {
  id: Generated<number>;
  uid: string;
  code: string | null;
  name: string;
  factor: number;
  number: Generated<boolean>;
}
export interface DataSetUnitTable {
  data_set_id: number;
  unit_id: number;
}

export interface DataElementTable extends Named {
  sector: string;
  value_type: string;
  unit: string | null;
  agg_time: string;
  agg_units: string;
  breakdown_id: number;
  zero_significant: Generated<boolean>;
  description: string | null;
  /** Bounds a value must keep (migration 0009); null = none. */
  min_value: number | null;
  max_value: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Migration 0032: what a rise means (rise_good, rise_bad, neutral). */
  direction: Generated<'rise_good' | 'rise_bad' | 'neutral'>;
}

export interface IndicatorTable extends Named {
  sector: string;
  formula: string;
  unit: string | null;
  decimals: Generated<number>;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Migration 0012: DHIS2's parts of the formula. */
  numerator: ColumnType<string | null, string | null | undefined, string | null>;
  denominator: ColumnType<string | null, string | null | undefined, string | null>;
  indicator_type_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Migration 0032: what a rise means (rise_good, rise_bad, neutral). */
  direction: Generated<'rise_good' | 'rise_bad' | 'neutral'>;
}

export interface TargetTable {
  id: Generated<number>;
  subject_type: 'element' | 'indicator';
  subject_code: string;
  unit_version: string;
  unit_code: string;
  value: number;
  due: string;
  label_vi: string | null;
  label_en: string | null;
}

export interface DataSetTable extends Named {
  period_type: string;
  version: string;
  level: number;
  due_days: Generated<number>;
  expiry_days: Generated<number>;
}

export interface DataSetElementTable {
  data_set_id: number;
  element_id: number;
}

export interface PeriodTable {
  id: Generated<number>;
  pid: string;
  type: string;
  start_date: string;
  end_date: string;
}

export interface PeriodLockTable {
  id: Generated<number>;
  period_id: number;
  data_set_id: number | null;
  locked_at: Timestamp;
  locked_by: string;
}

/** DHIS2's complete data set registrations (migration 0016). */
export interface CompleteRegistrationTable {
  data_set_id: number;
  period_id: number;
  unit_id: number;
  attribute_id: number;
  completed: Generated<boolean>;
  stored_by: string;
  created_at: Timestamp;
  last_updated_by: string;
  last_updated: Timestamp;
}

export interface DataValueTable {
  unit_id: number;
  element_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
  value: number | null;
  text_value: string;
  estimate: Generated<boolean>;
  comment: string | null;
  followup: Generated<boolean>;
  reported_yoy_pct: number | null;
  reported_prev_pct: number | null;
  stored_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A deleted value, kept for exports with includeDeleted (migration 0017); same columns. */
export interface DataValueDeletedTable extends Omit<DataValueTable, 'created_at'> {
  /** The value's own creation time, moved with it: no default here. */
  created_at: GivenTimestamp;
}

/** The blocks of period ids bulk loads took (migration 0004). */
export interface PeriodBlockTable {
  first_period_id: number;
  loaded_by: string;
  loaded_at: Timestamp;
}

/** The view of a unit's totals: roll-ups and a leaf unit's own values (migration 0004). */
export interface DataValueTotalView {
  unit_id: number;
  element_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
  sum: number;
  n: number;
}

export interface DataValueHistoryTable {
  unit_id: number;
  id: Generated<number>;
  element_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
  change: 'create' | 'update' | 'delete';
  before_value: string | null;
  after_value: string | null;
  changed_by: string;
  changed_at: Timestamp;
}

export interface DataValueRollupTable {
  ancestor_id: number;
  element_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
  sum: number;
  n: number;
}

export interface LiveEventTable {
  id: Generated<number>;
  topic: string;
  version: string | null;
  path: string | null;
  payload: Json<unknown>;
  created_at: Timestamp;
  /** Migration 0010: the recipients' paths of an event sent to chosen units, else null. */
  recipients: string[] | null;
}

export interface AlertRuleTable {
  id: Generated<number>;
  name_vi: string;
  name_en: string;
  /** 'violations' (migration 0024): the subject is an importance, HIGH, MEDIUM or LOW. */
  subject_type: 'element' | 'indicator' | 'violations';
  subject: string;
  unit_version: string;
  unit_code: string;
  level: number;
  period_type: 'day' | 'week' | 'month' | 'quarter' | 'half' | 'year';
  operator: '>' | '>=' | '<' | '<=';
  threshold: number;
  active: Generated<boolean>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface AlertTable {
  id: Generated<number>;
  rule_id: number;
  unit_version: string;
  unit_code: string;
  period: string;
  value: number | null;
  threshold: number;
  state: 'open' | 'resolved';
  opened_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: Timestamp | null;
}

export interface Schema {
  hierarchy_version: HierarchyVersionTable;
  org_unit: OrgUnitTable;
  org_unit_change: OrgUnitChangeTable;
  org_unit_link: OrgUnitLinkTable;
  org_unit_name: OrgUnitNameTable;
  unit_group: UnitGroupTable;
  unit_group_member: UnitGroupMemberTable;
  app_user: AppUserTable;
  app_session: AppSessionTable;
  signin_throttle: SigninThrottleTable;
  rate_limit: RateLimitTable;
  instance_secret: { name: string; value: string };
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  org_unit_ancestor: OrgUnitAncestorTable;
  breakdown: BreakdownTable;
  breakdown_option: BreakdownOptionTable;
  attribute_option: AttributeOptionTable;
  data_element: DataElementTable;
  indicator: IndicatorTable;
  target: TargetTable;
  data_set: DataSetTable;
  data_set_element: DataSetElementTable;
  data_set_unit: DataSetUnitTable;
  category_option: CategoryOptionTable;
  category: CategoryTable;
  category_member: CategoryMemberTable;
  breakdown_category: BreakdownCategoryTable;
  breakdown_option_part: BreakdownOptionPartTable;
  attribute_option_part: AttributeOptionPartTable;
  indicator_type: IndicatorTypeTable;
  period: PeriodTable;
  period_lock: PeriodLockTable;
  complete_registration: CompleteRegistrationTable;
  data_value: DataValueTable;
  data_value_history: DataValueHistoryTable;
  data_value_deleted: DataValueDeletedTable;
  data_value_total: DataValueTotalView;
  period_block: PeriodBlockTable;
  data_value_rollup: DataValueRollupTable;
  live_event: LiveEventTable;
  alert_rule: AlertRuleTable;
  alert: AlertTable;
}

// Directives and tasks (migration 0006).

export interface AttachmentTable {
  id: Generated<number>;
  owner_kind:
    'pending' | 'directive' | 'task' | 'task_event' | 'citizen_report' | 'citizen_report_event';
  owner_id: number | null;
  file_name: string;
  content_type: string;
  size: number;
  bytes: Uint8Array;
  created_by: string;
  created_at: Timestamp;
}

export type TaskStatusColumn = 'received' | 'acknowledged' | 'in_progress' | 'done' | 'blocked';

export interface DirectiveTable {
  id: Generated<number>;
  title: string;
  body: string;
  priority: 'normal' | 'high' | 'urgent';
  due_date: string;
  target: Json<unknown>;
  version: string;
  scope_path: string;
  issuer_id: string | null;
  issuer_name: string;
  issuer_version: string;
  issuer_code: string;
  issuer_path: string;
  task_count: Generated<number>;
  created_at: Timestamp;
  /** opsroom_fold(title || ' ' || body), kept by the database (migration 0031). */
  search_text: Generated<string>;
}

export interface TaskTable {
  id: Generated<number>;
  directive_id: number | null;
  unit_id: number;
  version: string;
  unit_code: string;
  path: string;
  assignee_id: number | null;
  title: string;
  due_date: string;
  status: ColumnType<TaskStatusColumn, TaskStatusColumn | undefined, TaskStatusColumn>;
  blocked_reason: string | null;
  read_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  done_at: Timestamp | null;
  progress: Generated<number>;
  last_report: string | null;
  figures: Json<Record<string, number>> | null;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The citizen's report this task answers (migration 0035). */
  report_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface TaskEventTable {
  id: Generated<number>;
  task_id: number;
  at: Timestamp;
  kind:
    | 'created'
    | 'read'
    | 'status'
    | 'comment'
    | 'reminded'
    | 'escalated'
    | 'milestone'
    | 'transferred';
  actor_id: string | null;
  actor_name: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  progress: number | null;
  figures: Json<Record<string, number>> | null;
}

export interface TaskCommentTable {
  id: Generated<number>;
  task_id: number;
  author_id: string | null;
  author_name: string;
  body: string;
  created_at: Timestamp;
}

export interface TaskMilestoneTable {
  id: Generated<number>;
  task_id: number;
  title: string;
  due_date: string;
  done_at: Timestamp | null;
}

export interface WeeklyPlanTable {
  id: Generated<number>;
  version: string;
  unit_code: string;
  path: string;
  week: string;
  status: 'draft' | 'submitted' | 'approved' | 'returned';
  note: string | null;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
}

// Declaration merging: the tables above join the one Schema interface.
export interface Schema {
  attachment: AttachmentTable;
  directive: DirectiveTable;
  task: TaskTable;
  task_event: TaskEventTable;
  task_comment: TaskCommentTable;
  task_milestone: TaskMilestoneTable;
  weekly_plan: WeeklyPlanTable;
}

export interface IdempotencyKeyTable {
  actor: string;
  key: string;
  attempt: string;
  method: string;
  path: string;
  fingerprint: string;
  action: string;
  entity_type: string;
  entity_id: string;
  applied_at: Generated<Date>;
  expires_at: GivenTimestamp;
  status: number | null;
  content_type: string | null;
  response: Uint8Array | null;
}

// Declaration merging, as above: migration 0007.
export interface Schema {
  idempotency_key: IdempotencyKeyTable;
}

// Carrying values across trees (migration 0018).

/** A share set for a split link, either direction along a stored link. */
export interface OrgUnitLinkWeightTable {
  from_version: string;
  from_code: string;
  to_version: string;
  to_code: string;
  share: number;
  /** What the shares are: 'dân số 2024', 'diện tích'. */
  basis: string;
  set_by: string;
  set_at: Timestamp;
}

/** What a unit of an asked tree is made of in a stored tree (domain/carry.ts `covers`). */
export interface CarryCoverTable {
  asked_id: number;
  asked_version: string;
  stored_version: string;
  stored_id: number;
  /** true: the roll-up rows at stored_id; false: stored_id's own values. */
  whole: boolean;
  share: number;
  exact: boolean;
}

/** An asked unit that may miss territory of a stored tree placed only above it. */
export interface CarryGapTable {
  asked_id: number;
  stored_version: string;
}

/** The deepest unit of another tree holding everything a unit's subtree maps to. */
export interface CarrySpanTable {
  unit_id: number;
  other_version: string;
  span_id: number;
}

// Declaration merging, as above: migration 0018.
export interface Schema {
  org_unit_link_weight: OrgUnitLinkWeightTable;
  carry_cover: CarryCoverTable;
  carry_gap: CarryGapTable;
  carry_span: CarrySpanTable;
}

// Validation rules (migration 0020).

export interface ValidationRuleTable {
  id: Generated<number>;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
  instruction_vi: string | null;
  instruction_en: string | null;
  importance: ColumnType<string, string | undefined, string>;
  period_type: string;
  /** Unit levels it applies to; [] = all. */
  levels: ColumnType<number[], string | undefined, string>;
  operator: string;
  left_expression: string;
  left_strategy: string;
  left_description_vi: string | null;
  left_description_en: string | null;
  right_expression: string;
  right_strategy: string;
  right_description_vi: string | null;
  right_description_en: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ValidationRuleGroupTable {
  id: Generated<number>;
  code: string;
  uid: string | null;
  name_vi: string;
  name_en: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ValidationRuleGroupMemberTable {
  group_id: number;
  rule_id: number;
}

export interface ValidationResultTable {
  id: Generated<number>;
  rule_id: number;
  unit_id: number;
  period: string;
  left_value: number | null;
  right_value: number | null;
  importance: string;
  found_at: Timestamp;
}

export interface ValidationFollowupTable {
  rule_id: number;
  unit_id: number;
  period: string;
  task_id: number | null;
  state: Generated<'open' | 'confirmed' | 'corrected'>;
  comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
}

/** Values flagged as they arrive (issue 17, migration 0026; read with SQL in value-outlier.repo). */
export interface ValueOutlierTable {
  element_id: number;
  unit_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
  kind: 'min_max' | 'scale_slip';
  value: number;
  low: number | null;
  high: number | null;
  found_at: Generated<Timestamp>;
  state: Generated<'open' | 'confirmed'>;
  task_id: number | null;
  comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
}

/** Min–max ranges of outlier detection (issue 17, migration 0021; read with SQL in outlier.repo). */
export interface MinMaxValueTable {
  unit_id: number;
  element_id: number;
  option_id: number;
  min_value: number;
  max_value: number;
  generated: Generated<boolean>;
  updated_by: string;
  updated_at: Generated<Timestamp>;
}

/**
 * What a transaction leaves to be done after its commit (migration 0024): live events to
 * publish, violations changed for the alert rules to evaluate; filled by triggers too.
 */
export interface OutboxTable {
  id: Generated<number>;
  kind: 'live' | 'violations' | 'follow_ups';
  topic: string | null;
  version: string | null;
  path: string | null;
  payload: Json<unknown>;
  created_at: Generated<Timestamp>;
}

/** Briefing templates (issue 18, migration 0027): the template's JSON as the API takes it. */
export interface BriefingTemplateTable {
  id: Generated<number>;
  code: string;
  body: Json<unknown>;
  updated_by: string;
  updated_at: Timestamp;
}

/** Briefings (issue 18, migration 0027): drafts keep edits; issued ones their snapshot. */
export interface BriefingTable {
  id: Generated<number>;
  series_id: number | null;
  revision: Generated<number>;
  template_id: number;
  period: string;
  version: string;
  unit_code: string;
  path: string;
  status: Generated<'draft' | 'issued'>;
  number: string | null;
  edits: Json<unknown>;
  snapshot: Json<unknown> | null;
  created_by: string;
  created_at: Timestamp;
  issued_by: string | null;
  issued_at: Timestamp | null;
}

/** What a source printed beyond a stored value (issue 18, migration 0028): qualifiers, changes. */
export type PrintedQualifier = 'about' | 'nearly' | 'over' | 'under';
export interface PrintedFigureTable {
  id: Generated<number>;
  element_id: number;
  unit_id: number;
  period_id: number;
  /** null: the element's total */
  option_id: number | null;
  qualifier: PrintedQualifier | null;
  reported_yoy_pct: number | null;
  reported_prev_pct: number | null;
  yoy_qualifier: PrintedQualifier | null;
  prev_qualifier: PrintedQualifier | null;
  source: string | null;
  updated_by: string;
  updated_at: Timestamp;
}

export interface Schema {
  outbox: OutboxTable;
  printed_figure: PrintedFigureTable;
  briefing_template: BriefingTemplateTable;
  briefing: BriefingTable;
  value_outlier: ValueOutlierTable;
  min_max_value: MinMaxValueTable;
  validation_rule: ValidationRuleTable;
  validation_rule_group: ValidationRuleGroupTable;
  validation_rule_group_member: ValidationRuleGroupMemberTable;
  validation_result: ValidationResultTable;
  validation_followup: ValidationFollowupTable;
}

// Boards (migration 0033).

export interface BoardTable {
  id: Generated<number>;
  uid: string;
  name: string;
  description: Generated<string>;
  /** The board's variables, tree and panels (contract/board.ts BoardDocument). */
  document: Json<unknown>;
  owner_kind: 'user' | 'token' | 'system';
  owner_id: string | null;
  owner_name: string;
  owner_version: string;
  owner_path: string;
  revision: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BoardShareTable {
  id: Generated<number>;
  board_id: number;
  kind: 'unit' | 'role' | 'user';
  unit_version: string | null;
  unit_code: string | null;
  unit_path: string | null;
  role: string | null;
  user_id: string | null;
  user_name: string | null;
  access: 'read' | 'edit';
}

export interface BoardDefaultTable {
  version: string;
  unit_code: string;
  path: string;
  board_id: number;
  set_by: string;
  set_at: Timestamp;
}

export interface Schema {
  board: BoardTable;
  board_share: BoardShareTable;
  board_default: BoardDefaultTable;
}

// Citizens' report categories, Open311's services (migration 0034).

export interface CitizenCategoryTable {
  code: string;
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
  group_vi: string;
  group_en: string;
  keywords: Json<string[]>;
  handler_level: 'commune' | 'province' | 'unit';
  handler_unit: string | null;
  /** `{hours: n}` or `{days: n}` of working time (domain/working-time.ts). */
  acknowledge_within: Json<{ hours: number } | { days: number }>;
  answer_within: Json<{ hours: number } | { days: number }>;
  photo_required: boolean;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// Citizens' reports (migration 0035).

export type CitizenReportStatusColumn =
  'received' | 'forwarded' | 'in_progress' | 'answered' | 'closed' | 'refused' | 'reopened';

export interface CitizenReportTable {
  id: Generated<number>;
  code: string;
  category_code: string;
  description: string;
  lat: number | null;
  lon: number | null;
  place_version: string;
  place_code: string;
  place_path: string;
  handler_version: string;
  handler_code: string;
  handler_path: string;
  task_id: number | null;
  status: CitizenReportStatusColumn;
  contact_phone: string | null;
  contact_email: string | null;
  source: 'web' | 'open311' | 'api';
  acknowledge_due: GivenTimestamp;
  answer_due: GivenTimestamp;
  acknowledged_at: Timestamp | null;
  answered_at: Timestamp | null;
  closed_at: Timestamp | null;
  answer: string | null;
  refused_reason: string | null;
  rating: number | null;
  rating_note: string | null;
  reopen_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The question and the answer folded for search (migration 0039), kept by the database. */
  search_text: ColumnType<string, undefined, never>;
  // Moderation (migration 0040).
  moderation: Generated<'none' | 'flagged' | 'hidden'>;
  moderation_rule: 'link' | 'repeat' | 'gibberish' | 'insult' | 'officer' | null;
  moderation_reason: string | null;
  moderation_by: string | null;
  moderation_at: Timestamp | null;
  description_hash: string | null;
  /** When the figures job found it unanswered past its deadline (migration 0044). */
  overdue_at: ColumnType<Date | null, undefined, Date | null>;
}

/** Cells whose response-time figures wait for the job (migration 0039). */
export interface CitizenReportFigureQueueTable {
  version: string;
  unit_code: string;
  month: string;
  seq: Generated<number>;
}

export interface CitizenReportEventTable {
  id: Generated<number>;
  report_id: number;
  at: Timestamp;
  kind:
    | 'received'
    | 'forwarded'
    | 'acknowledged'
    | 'info_requested'
    | 'info_added'
    | 'answered'
    | 'closed'
    | 'refused'
    | 'reopened'
    | 'rated'
    | 'escalated';
  status: CitizenReportStatusColumn;
  public_note: string | null;
  internal_note: string | null;
  from_unit_code: string | null;
  from_unit_name: string | null;
  to_unit_code: string | null;
  to_unit_name: string | null;
  actor_name: string;
}

/** Reports to the 5656 spam line (issue 20, migration 0037). */
export interface SpamReportTable {
  id: Generated<number>;
  number: string;
  kind: 'sms' | 'call';
  content: Generated<string>;
  operator: string;
  reported_at: GivenTimestamp;
  received_at: GivenTimestamp;
  received_day: string;
  source: 'api' | 'web';
  token_id: string | null;
  client_hash: string | null;
  reporter_hash: string | null;
  external_id: string | null;
}

export interface SpamBlockTable {
  id: Generated<number>;
  number: string;
  operator: string;
  blocked_at: GivenTimestamp;
  blocked_day: string;
  confirmed_by: string;
}

/** Days whose spam counts are to be computed again (migration 0037). */
export interface SpamCountDueTable {
  id: Generated<number>;
  day: string;
}

export interface Schema {
  citizen_category: CitizenCategoryTable;
  citizen_report: CitizenReportTable;
  citizen_report_event: CitizenReportEventTable;
  citizen_report_figure_queue: CitizenReportFigureQueueTable;
}

// Offices' working calendars (migration 0038); the nation's row has version '*'.

type HoursSpans = [from: string, to: string][];

/** WorkingCalendarSpec (domain/working-time.ts) as stored. */
export interface StoredCalendarSpec {
  week: {
    mon: HoursSpans;
    tue: HoursSpans;
    wed: HoursSpans;
    thu: HoursSpans;
    fri: HoursSpans;
    sat: HoursSpans;
    sun: HoursSpans;
  };
  holidays: string[];
  extraWorkingDays: string[];
  extraDayHours?: HoursSpans;
}

export interface WorkingCalendarTable {
  version: string;
  unit_code: string;
  path: string;
  spec: Json<StoredCalendarSpec>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface Schema {
  working_calendar: WorkingCalendarTable;
  spam_report: SpamReportTable;
  spam_block: SpamBlockTable;
  spam_count_due: SpamCountDueTable;
}

// Telling the citizen of an officer's action, by SMS or email: the outbox (migration 0041).

export interface CitizenNotificationTable {
  id: Generated<number>;
  report_id: number;
  event_id: number;
  channel: 'sms' | 'email';
  destination: string;
  kind: 'answered' | 'info_requested' | 'refused' | 'closed';
  subject: string | null;
  body: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: GivenTimestamp;
  last_error: string | null;
  sent_at: Timestamp | null;
  created_at: GivenTimestamp;
}

export interface Schema {
  citizen_notification: CitizenNotificationTable;
}
