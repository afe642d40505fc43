import type { Db } from './client.ts';

/** The installation's secrets (migration 0045), made by the database at migration. */
export class InstanceSecretRepo {
  constructor(private readonly db: Db) {}

  async get(name: 'pseudonym'): Promise<string> {
    const r = await this.db
      .selectFrom('instance_secret')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return r.value;
  }
}
