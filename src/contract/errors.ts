/**
 * The error codes the API answers with (`error.code`), stable for scripts and the web app:
 * the one list of src/domain/errors.ts, re-exported for the web.
 */
export { ERROR_CODES, type ErrorCode } from '../domain/errors.ts';
