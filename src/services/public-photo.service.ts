import { randomBytes } from 'node:crypto';
import type { Store } from '../db/store.ts';
import type { Clock } from '../domain/dates.ts';
import type { PublicPhoto } from '../contract/public-photo.ts';
import { CITIZEN_ACTOR, citizenUploadKey } from './citizen-report.service.ts';
import { auditActor } from './audit.ts';
import { cleanPhoto } from './photo.ts';

/**
 * Who uploaded a citizen's photo, as `attachment.created_by` keeps it: the hash of the photo's
 * key (`citizenUploadKey`), so the key itself is never stored; the report claims by {id, key}.
 */
export const citizenUploader = citizenUploadKey;

/** How long an upload waits for what it was sent with (a report written slowly on a phone). */
export const PENDING_KEEP_MS = 24 * 3_600_000;

/** Photos for citizens' reports, uploaded from the public page before the report (issue 20). */
export class PublicPhotoService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Deletes the uploads never claimed by a report, comment or answer within `PENDING_KEEP_MS`
   * (a citizen who gave up, a flood of photos), with one audit row for them all.
   */
  async pruneUnclaimed(): Promise<number> {
    const now = this.clock();
    return this.store.transaction(async (tx) => {
      const n = await tx.attachments.prunePending(new Date(now.getTime() - PENDING_KEEP_MS));
      if (n > 0)
        await tx.audit.record({
          ...auditActor('system'),
          action: 'attachment.prune_pending',
          entityType: 'attachment',
          entityId: '*',
          after: { deleted: n, keptHours: PENDING_KEEP_MS / 3_600_000 },
        });
      return n;
    });
  }

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
