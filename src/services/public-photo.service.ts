import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../db/store.ts';
import type { Clock } from '../domain/dates.ts';
import type { PublicPhoto } from '../contract/public-photo.ts';
import { cleanPhoto } from './photo.ts';

/**
 * Who uploaded a citizen's photo, as `attachment.created_by` keeps it: the hash of the photo's
 * key, so the key itself is never stored. A report claims its photos by {id, key} with
 * `attachments.pending(ids, citizenUploader(key))` — the rule of the signed-in upload, where
 * `created_by` names the officer.
 */
export const citizenUploader = (key: string) =>
  `citizen:${createHash('sha256').update(key).digest('hex')}`;

/** Photos for citizens' reports, uploaded from the public page before the report (issue 20). */
export class PublicPhotoService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Checks and cleans the photo (services/photo.ts), then keeps it pending; nothing on refusal. */
  async upload(file: { name: string; bytes: Uint8Array }): Promise<PublicPhoto> {
    const photo = await cleanPhoto(file.bytes, file.name);
    const key = randomBytes(24).toString('base64url');
    const row = await this.store.transaction(async (tx) => {
      const row = await tx.attachments.insert({
        fileName: photo.fileName,
        contentType: photo.contentType,
        bytes: photo.bytes,
        createdBy: citizenUploader(key),
        at: this.clock(),
      });
      // No account: the audit log knows the citizen only as one (the key's hash is the row's).
      await tx.audit.record({
        actorKind: 'system',
        actorId: null,
        actorName: 'citizen',
        action: 'attachment.public_upload',
        entityType: 'attachment',
        entityId: String(row.id),
        after: {
          contentType: photo.contentType,
          size: row.size,
          width: photo.width,
          height: photo.height,
          sentBytes: file.bytes.byteLength,
        },
      });
      return row;
    });
    return {
      id: row.id,
      key,
      contentType: photo.contentType,
      size: row.size,
      width: photo.width,
      height: photo.height,
    };
  }
}
