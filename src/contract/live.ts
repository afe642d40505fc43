import { z } from '@hono/zod-openapi';

/** `GET /api/live`: the event stream's query (the stream itself has no JSON schema). */
export const LiveQuery = z.object({
  topics: z.string().optional().openapi({
    description: 'Comma-separated topics (data, alert…); default every topic',
    example: 'data,alert',
  }),
  lastEventId: z.string().optional().openapi({
    description:
      'The last event id seen, for clients that cannot send the Last-Event-ID header; missed events are replayed',
  }),
});

/**
 * The `weights` event (issue 16): the shares of split links changed between two trees, so that
 * figures carried across them changed; sent to everyone signed in, as `data` is. `units`: the
 * codes (in the `from` tree) whose shares were set or reset.
 */
export const LiveWeightsEvent = z
  .object({
    from: z.string().openapi({ example: '2025-03' }),
    to: z.string().openapi({ example: '2025' }),
    units: z.array(z.string()).openapi({ example: ['00007'] }),
  })
  .openapi('LiveWeightsEvent');

export type LiveWeightsEvent = z.infer<typeof LiveWeightsEvent>;
