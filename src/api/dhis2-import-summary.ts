import type { ImportCount } from '../contract/common.ts';

type SummaryStatus = 'SUCCESS' | 'WARNING' | 'ERROR';

/**
 * DHIS2 wraps an import summary in a web message: 200 for SUCCESS and WARNING, 409 for ERROR.
 * `rest` is what follows the summary's counts, conflicts and rejected rows (its import options…).
 */
export function importSummaryMessage<C, R extends object>(
  s: { status: SummaryStatus; importCount: ImportCount },
  description: string,
  conflicts: C[],
  rejectedIndexes: number[],
  rest: R,
) {
  const code: 200 | 409 = s.status === 'ERROR' ? 409 : 200;
  return {
    code,
    body: {
      httpStatus: code === 200 ? 'OK' : 'Conflict',
      httpStatusCode: code,
      status: s.status === 'SUCCESS' ? ('OK' as const) : s.status,
      message: description,
      response: {
        responseType: 'ImportSummary' as const,
        status: s.status,
        description,
        importCount: s.importCount,
        conflicts,
        rejectedIndexes,
        ...rest,
      },
    },
  };
}
