import type { Schemas } from './client.ts';

/** Names for the generated shapes the screens share (see /api/openapi.json). */

export type Me = Schemas['Me'];

export type Version = Schemas['HierarchyVersion'];

export type UnitBrief = Schemas['UnitBrief'];

export type OrgUnit = Schemas['OrgUnit'];

export type UnitLink = Schemas['OrgUnitDetail']['formedFrom'][number];

export type OrgUnitDetail = Schemas['OrgUnitDetail'];

export type OrgUnitList = Schemas['OrgUnitList'];
