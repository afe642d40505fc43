import { z } from '@hono/zod-openapi';
import { plainText } from './common.ts';
import { PERMISSIONS } from './permissions.ts';

/** Signing in and who is signed in. */

export const Login = z
  .object({
    username: plainText().min(1).max(100).openapi({ example: 'admin' }),
    password: plainText().min(1).max(500),
  })
  .openapi('Login');

export const Me = z
  .object({
    kind: z.enum(['user', 'token']),
    username: z.string(),
    displayName: z.string().optional(),
    role: z.string().optional(),
    permissions: z.array(z.enum(PERMISSIONS)),
    scope: z.object({ version: z.string(), code: z.string(), name: z.string().optional() }),
    csrfToken: z.string().optional(),
  })
  .openapi('Me');

export type Login = z.infer<typeof Login>;
export type Me = z.infer<typeof Me>;
