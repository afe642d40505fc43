import { randomBytes } from 'node:crypto';
import type { Store } from '../db/store.ts';
import type { Clock } from '../domain/dates.ts';
import type { PublicPhoto } from '../contract/public-photo.ts';
import { CITIZEN_ACTOR, citizenUploadKey } from './citizen-report.service.ts';
import { cleanPhoto } from './photo.ts';

/**
 * Who uploaded a citizen's photo, as `attachment.created_by` keeps it: the hash of the photo's
 * key (`citizenUploadKey`), so the key itself is never stored; the report claims by {id, key}.
 */
export const citizenUploader = citizenUploadKey;

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
        ...CITIZEN_ACTOR,
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
