import { config } from 'zod';

/**
 * Zod without compiled parsers in the browser. Zod 4 compiles object parsers with
 * `new Function` and probes for it once; under our Content-Security-Policy (no 'unsafe-eval')
 * the probe is refused, and Chromium reports the refusal as a console error although zod
 * catches it. Imported first by main.tsx: a schema decides when it is built, at import time.
 */
config({ jitless: true });
