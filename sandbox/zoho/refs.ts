/**
 * How records point at each other in Zoho: lookups are `{ name, id }`, the owner is `{ name, id, email }`,
 * Notes' parent is `{ name, id, module: { api_name, id } }`. Names of the records pointed at are cached per
 * index (a contact page would otherwise regenerate its accounts), filled lazily so memory follows use.
 */
import type { World } from '../common/index.js';
import { CODE, zohoId } from './ids.js';

export interface Ref {
  readonly name: string;
  readonly id: string;
}

export interface OwnerRef extends Ref {
  readonly email: string;
}

/** What a field's renderer may use besides the record itself. */
export interface RenderCtx {
  readonly world: World;
  owner(ownerIndex: number): OwnerRef;
  account(index: number | null): Ref | null;
  contact(index: number | null): Ref | null;
  deal(index: number | null): Ref | null;
}

export const userId = (ownerIndex: number): string => zohoId(CODE.Users, ownerIndex);

export function createRenderCtx(world: World): RenderCtx {
  const owners: OwnerRef[] = world.owners.map((o) => ({ name: o.name, id: userId(o.index), email: o.email }));
  const accountNames: (string | undefined)[] = [];
  const contactNames: (string | undefined)[] = [];
  const dealNames: (string | undefined)[] = [];
  return {
    world,
    owner: (i) => owners[i] as OwnerRef,
    account: (i) => (i === null ? null : { name: (accountNames[i] ??= world.account(i).name), id: zohoId(CODE.Accounts, i) }),
    contact: (i) => (i === null ? null : { name: (contactNames[i] ??= world.contact(i).fullName), id: zohoId(CODE.Contacts, i) }),
    deal: (i) => (i === null ? null : { name: (dealNames[i] ??= world.deal(i).name), id: zohoId(CODE.Deals, i) }),
  };
}
