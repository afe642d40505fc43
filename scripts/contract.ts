/**
 * The web app's types of the API (issue 15): the app's OpenAPI document (the zod schemas of
 * src/contract, as /api/openapi.json serves it) turned into TypeScript by openapi-typescript.
 *
 *   npm run contract      writes web/src/shared/api/openapi.gen.ts
 *
 * src/api/contract.test.ts fails when the committed file differs from a fresh generation.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';
import prettier from 'prettier';
import { createApp } from '../src/api/app.ts';
import type { Services } from '../src/services/index.ts';

export const GENERATED = fileURLToPath(
  new URL('../web/src/shared/api/openapi.gen.ts', import.meta.url),
);

/** The OpenAPI document as the app serves it at /api/openapi.json. */
export async function openApiDocument(): Promise<OpenAPI3> {
  // The document needs no database: the routes are only declared, never called.
  const app = createApp({ database: {} } as unknown as Services);
  const res = await app.request('/api/openapi.json');
  if (res.status !== 200) throw new Error(`/api/openapi.json answered ${res.status}`);
  return (await res.json()) as OpenAPI3;
}

/** The generated file's text, formatted as the repository formats TypeScript. */
export async function generate(): Promise<string> {
  const doc = await openApiDocument();
  // The version changes with every release; the types do not depend on it.
  doc.info = { ...doc.info, version: '0' };
  const ast = await openapiTS(doc, { alphabetize: true });
  const text =
    COMMENT_HEADER + '// Run `npm run contract` after changing a schema.\n\n' + astToString(ast);
  const options = await prettier.resolveConfig(GENERATED);
  return prettier.format(text, { ...options, filepath: GENERATED });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED, await generate());
  console.log(`wrote ${GENERATED}`);
}
