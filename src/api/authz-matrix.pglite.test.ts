import { testEngines } from '../test/harness.ts';
import { authzMatrix } from './authz-matrix.suite.ts';

// The authorization matrix (authz-matrix.suite.ts) on pglite; its own file for the runner's time limit.
if (testEngines().includes('pglite')) authzMatrix('pglite');
