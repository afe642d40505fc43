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
