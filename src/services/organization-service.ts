/** Organization members and the organization itself (including its deletion: the GDPR right to delete). */
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';
import type { Db } from '../db/client.js';
import { memberships, organizations, users } from '../db/schema.js';
import { hashPassword } from '../security/passwords.js';
import { recordAudit } from './audit-service.js';
import { normaliseEmail, type AuthContext, type Role } from './auth-service.js';

export interface AddMemberInput {
  email: string;
  /** Sets the password of a new account; an existing account keeps its own. */
  password?: string;
  role: Role;
}

export async function addMember(db: Db, auth: AuthContext, input: AddMemberInput) {
  // Only an owner may create owners; an admin cannot grant more than they have.
  if (input.role === 'OWNER' && auth.role !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can add another owner.');
  const email = normaliseEmail(input.email);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    let [user] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
    if (!user) {
      if (!passwordHash) throw new AppError('VALIDATION_FAILED', 'A password is needed to create an account for a new member.', { field: 'password' });
      [user] = await tx.insert(users).values({ email, passwordHash }).returning();
    } else {
      const [already] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.organizationId, auth.organizationId), eq(memberships.userId, user.id)))
        .limit(1);
      if (already) throw new AppError('MEMBER_EXISTS');
    }
    const [m] = await tx.insert(memberships).values({ organizationId: auth.organizationId, userId: user!.id, role: input.role }).returning();
    await recordAudit(tx, {
      organizationId: auth.organizationId,
      actorUserId: auth.userId,
      action: 'member.added',
      targetType: 'user',
      targetId: user!.id,
      metadata: { email, role: input.role },
    });
    return { id: m!.id, userId: user!.id, email: user!.email, role: m!.role, createdAt: m!.createdAt };
  });
}

export async function listMembers(db: Db, auth: AuthContext) {
  return db
    .select({ id: memberships.id, userId: users.id, email: users.email, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, auth.organizationId))
    .orderBy(memberships.createdAt);
}

export async function updateMemberRole(db: Db, auth: AuthContext, membershipId: string, role: Role) {
  return db.transaction(async (tx) => {
    const [m] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, auth.organizationId)))
      .for('update')
      .limit(1);
    if (!m) throw new AppError('NOT_FOUND', 'Member was not found.');
    if ((m.role === 'OWNER' || role === 'OWNER') && auth.role !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can change an owner.');
    if (m.role === 'OWNER' && role !== 'OWNER') await assertAnotherOwner(tx, auth.organizationId, m.userId);
    const [updated] = await tx.update(memberships).set({ role }).where(eq(memberships.id, m.id)).returning();
    await recordAudit(tx, { organizationId: auth.organizationId, actorUserId: auth.userId, action: 'member.role_changed', targetType: 'user', targetId: m.userId, metadata: { from: m.role, to: role } });
    return updated!;
  });
}

export async function removeMember(db: Db, auth: AuthContext, membershipId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [m] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.id, membershipId), eq(memberships.organizationId, auth.organizationId)))
      .for('update')
      .limit(1);
    if (!m) throw new AppError('NOT_FOUND', 'Member was not found.');
    if (m.role === 'OWNER' && auth.role !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can remove an owner.');
    if (m.role === 'OWNER') await assertAnotherOwner(tx, auth.organizationId, m.userId);
    await tx.delete(memberships).where(eq(memberships.id, m.id));
    await recordAudit(tx, { organizationId: auth.organizationId, actorUserId: auth.userId, action: 'member.removed', targetType: 'user', targetId: m.userId });
  });
}

async function assertAnotherOwner(tx: Parameters<Parameters<Db['transaction']>[0]>[0], organizationId: string, exceptUserId: string) {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'OWNER')));
  if (!owners.some((o) => o.userId !== exceptUserId)) throw new AppError('LAST_OWNER');
}

export async function getOrganization(db: Db, auth: AuthContext) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, auth.organizationId)).limit(1);
  if (!org) throw new AppError('NOT_FOUND', 'Organization was not found.');
  return { id: org.id, name: org.name, createdAt: org.createdAt };
}

/**
 * Steps run before an organization's rows are deleted (e.g. revoking its CRM tokens at the CRMs). Registered by
 * the areas that own such resources, so this service does not import them.
 */
export type OrganizationDeletionStep = (organizationId: string) => Promise<void>;

/** Delete the organization and, by cascade, everything it owns: connections, runs, records, audit, members. */
export async function deleteOrganization(db: Db, auth: AuthContext, steps: readonly OrganizationDeletionStep[]): Promise<void> {
  if (auth.role !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can delete the organization.');
  for (const step of steps) await step(auth.organizationId);
  await db.delete(organizations).where(eq(organizations.id, auth.organizationId));
}
