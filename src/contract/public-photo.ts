import { z } from '@hono/zod-openapi';

/**
 * A photo for a citizen's report (issue 20), uploaded before the report is sent: checked,
 * cleaned of its metadata (the phone's position among them) and kept pending. The report cites
 * it by `id` and `key`; the key is shown once and is the only proof that the photo is theirs.
 */
export const PublicPhoto = z
  .object({
    id: z.number().int(),
    key: z.string().openapi({
      description: 'Secret: send it with the id in the report that cites the photo',
    }),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    size: z.number().int().openapi({ description: 'Bytes as kept (after cleaning)' }),
    width: z.number().int(),
    height: z.number().int(),
  })
  .openapi('PublicPhoto');

export type PublicPhoto = z.infer<typeof PublicPhoto>;
