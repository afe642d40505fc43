import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables created by `migrations/*.sql`. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
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
  part: 'full' | 'partial';
  stale: boolean;
}

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
  actor_kind: 'user' | 'token' | 'system';
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
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
}
