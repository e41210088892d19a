// The extensions and groups the call center knows: loaded from the store (the configuration file's entries are
// written there at start), read synchronously on the call path, changed through here so a change applies at once.
import type { Config } from '../../config/schema.ts';
import type { EventBus } from '../events.ts';
import type { Store } from '../store/db.ts';
import type { ExtensionRecord, GroupRecord, Permission } from '../store/extensions.ts';

export type { ExtensionRecord, GroupRecord, Permission };

/** What hears about account changes (the SIP engine's registrar). */
export type AccountsListener = (accounts: { number: string; password: string }[]) => void;

export class Directory {
  private extensions = new Map<string, ExtensionRecord>();
  private groups = new Map<string, GroupRecord>();
  private readonly listeners = new Set<AccountsListener>();

  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
  ) {}

  /** Writes the configuration's extensions and groups into the store (the file wins), then loads everything. */
  async load(config: Pick<Config, 'extensions' | 'groups'>): Promise<void> {
    await this.store.transaction(async (tx) => {
      for (const g of config.groups)
        await tx.extensions.upsertGroup({
          number: g.number,
          name: g.name ?? `Group ${g.number}`,
          strategy: g.strategy,
          ringSec: g.ringSec,
          timeoutSec: g.timeoutSec,
          holdMusic: g.holdMusic ?? null,
        });
      for (const e of config.extensions)
        await tx.extensions.upsert({
          number: e.number,
          password: e.password,
          name: e.name ?? e.number,
          group: e.group ?? null,
          permissions: e.permissions,
        });
    });
    await this.reload();
  }

  /** Re-reads the store (after a change through the API) and tells the registrar. */
  async reload(): Promise<void> {
    const [extensions, groups] = await Promise.all([
      this.store.extensions.list(),
      this.store.extensions.listGroups(),
    ]);
    const before = new Set(this.extensions.keys());
    this.extensions = new Map(extensions.map((e) => [e.number, e]));
    this.groups = new Map(groups.map((g) => [g.number, g]));
    const accounts = extensions.map(({ number, password }) => ({ number, password }));
    for (const fn of this.listeners) fn(accounts);
    for (const n of new Set([...before, ...this.extensions.keys()]))
      void this.bus.emit({ type: 'extension.changed', at: Date.now(), number: n });
  }

  /** Hears the SIP accounts now and on every change. */
  onAccounts(fn: AccountsListener): void {
    this.listeners.add(fn);
    fn([...this.extensions.values()].map(({ number, password }) => ({ number, password })));
  }

  isExtension = (number: string): boolean => this.extensions.has(number);

  isGroup = (number: string): boolean => this.groups.has(number);

  extension(number: string): ExtensionRecord | undefined {
    return this.extensions.get(number);
  }

  group(number: string): GroupRecord | undefined {
    return this.groups.get(number);
  }

  allExtensions(): ExtensionRecord[] {
    return [...this.extensions.values()];
  }

  allGroups(): GroupRecord[] {
    return [...this.groups.values()];
  }

  /** The extensions of a group, in number order. */
  membersOf(group: string): ExtensionRecord[] {
    return this.allExtensions().filter((e) => e.group === group);
  }

  can(number: string, permission: Permission): boolean {
    return this.extensions.get(number)?.permissions.includes(permission) ?? false;
  }

  /** Adds or changes an extension; applies at once (registrar, routing, EXTNUM_STATE). */
  async saveExtension(e: ExtensionRecord): Promise<void> {
    await this.store.extensions.upsert(e);
    await this.reload();
  }

  async deleteExtension(number: string): Promise<boolean> {
    const deleted = await this.store.extensions.delete(number);
    await this.reload();
    return deleted;
  }

  async saveGroup(g: GroupRecord): Promise<void> {
    await this.store.extensions.upsertGroup(g);
    await this.reload();
  }

  async deleteGroup(number: string): Promise<boolean> {
    const deleted = await this.store.extensions.deleteGroup(number);
    await this.reload();
    return deleted;
  }
}
