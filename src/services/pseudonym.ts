import { createHmac } from 'node:crypto';
import type { Store } from '../db/store.ts';

/**
 * Pseudonyms of personal values kept only to compare them (a spam reporter's phone, a public
 * client's address): HMAC-SHA-256 under the installation's own key (migration 0045), so the
 * stored hex cannot be reversed by hashing every phone number, and two installations' do not match.
 */
export class Pseudonyms {
  private key: Promise<string> | undefined;

  constructor(private readonly store: Store) {}

  /** A function giving the pseudonym of `kind:value`; the key is read once. */
  async maker(): Promise<(kind: string, value: string) => string> {
    this.key ??= this.store.repos.instanceSecrets.get('pseudonym').catch((e: unknown) => {
      this.key = undefined;
      throw e;
    });
    const key = await this.key;
    return (kind, value) => createHmac('sha256', key).update(`${kind}:${value}`).digest('hex');
  }
}
