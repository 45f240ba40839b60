/** Schemas shared by routes (and by the web app's typed client). */
import { z } from 'zod';
import { ROLES } from '../../services/auth-service.js';

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });

export const email = z.email({ message: 'must be an e-mail address' }).max(320);
export const password = z
  .string()
  .min(10, { message: 'must be at least 10 characters' })
  .max(200, { message: 'must be at most 200 characters' });
export const role = z.enum(ROLES);

export const userView = z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), createdAt: z.date() });
export const organizationView = z.object({ id: z.string(), name: z.string() });
