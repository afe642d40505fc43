import type { Db } from './client.ts';
import type { AttachmentTable } from './schema.ts';

export type AttachmentOwner = Exclude<AttachmentTable['owner_kind'], 'pending'>;

export class AttachmentRepo {
  constructor(private readonly db: Db) {}

  async insert(a: {
    fileName: string;
    contentType: string;
    bytes: Uint8Array;
    createdBy: string;
    at: Date;
  }) {
    return this.db
      .insertInto('attachment')
      .values({
        owner_kind: 'pending',
        owner_id: null,
        file_name: a.fileName,
        content_type: a.contentType,
        size: a.bytes.byteLength,
        bytes: a.bytes,
        created_by: a.createdBy,
        created_at: a.at,
      })
      .returning(['id', 'file_name', 'content_type', 'size'])
      .executeTakeFirstOrThrow();
  }

  byId(id: number) {
    return this.db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The uploader's pending files among `ids`, locked: they are about to be claimed. */
  pending(ids: number[], createdBy: string) {
    if (!ids.length) return Promise.resolve([]);
    return this.db
      .selectFrom('attachment')
      .select(['id', 'file_name', 'content_type', 'size'])
      .where('id', 'in', ids)
      .where('owner_kind', '=', 'pending')
      .where('created_by', '=', createdBy)
      .forUpdate()
      .execute();
  }

  /** Deletes files uploaded before `before` and never claimed by what they were sent for. */
  async prunePending(before: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('attachment')
      .where('owner_kind', '=', 'pending')
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async claim(ids: number[], kind: AttachmentOwner, ownerId: number) {
    if (!ids.length) return;
    await this.db
      .updateTable('attachment')
      .set({ owner_kind: kind, owner_id: ownerId })
      .where('id', 'in', ids)
      .execute();
  }

  /** Files of owners, without their bytes. */
  list(kind: AttachmentOwner, ownerIds: number[]) {
    if (!ownerIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('attachment')
      .select(['id', 'owner_id', 'file_name', 'content_type', 'size'])
      .where('owner_kind', '=', kind)
      .where('owner_id', 'in', ownerIds)
      .orderBy('id')
      .execute();
  }

  /** Replaces a file's bytes (a photo re-encoded without its metadata). */
  async replace(id: number, f: { fileName: string; contentType: string; bytes: Uint8Array }) {
    await this.db
      .updateTable('attachment')
      .set({
        file_name: f.fileName,
        content_type: f.contentType,
        size: f.bytes.byteLength,
        bytes: f.bytes,
      })
      .where('id', '=', id)
      .execute();
  }
}
