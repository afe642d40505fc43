/**
 * The permission names (`Me.permissions`, a token's permissions): the ACTIONS of
 * src/domain/access.ts, re-exported for the web so that it checks them by name, not by string.
 */
export { ACTIONS as PERMISSIONS, type Action as Permission } from '../domain/access.ts';
