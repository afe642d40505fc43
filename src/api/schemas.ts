/** Moved to src/contract/common.ts (issue 15): the contract is one module shared with the web. */
export * from '../contract/common.ts';
