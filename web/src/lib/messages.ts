/** What an error code means for the person in front of the screen, and what they can do about it. */
import { crmName } from './crms';

export interface Explained {
  title: string;
  body: string;
}

/** The `?error=<code>&crm=…` the OAuth callback sends the browser back with. */
export function explainConnectError(code: string, crm: string | null): Explained {
  const name = crmName(crm) || 'the CRM';
  switch (code) {
    case 'OAUTH_ACCESS_DENIED':
      return {
        title: `${name} was not connected: access was denied`,
        body: `You chose “Deny” on ${name}'s permission page, so crm-migrate cannot read your data there. To import directly, click “Connect to ${name}” and choose “Allow”. If you would rather not give access, use CSV upload instead.`,
      };
    case 'OAUTH_STATE_EXPIRED':
      return {
        title: `The ${name} sign-in took too long`,
        body: `The sign-in link is valid for 10 minutes and had expired when ${name} sent you back. Click “Connect to ${name}” to start again.`,
      };
    case 'OAUTH_STATE_INVALID':
      return {
        title: `The ${name} sign-in link was already used`,
        body: `This can happen when the page is reloaded or opened twice during sign-in. Click “Connect to ${name}” to start again.`,
      };
    case 'OAUTH_EXCHANGE_FAILED':
      return {
        title: `${name} did not accept the sign-in`,
        body: `${name} answered, but did not hand over access. This is usually temporary: wait a minute and click “Connect to ${name}” again. If it keeps happening, check with your ${name} administrator that your user may install apps.`,
      };
    case 'UNAUTHENTICATED':
      return { title: 'You were signed out while connecting', body: `Sign in again, then click “Connect to ${name}”.` };
    case 'CRM_NOT_CONFIGURED':
      return { title: `${name} cannot be connected on this server`, body: 'No OAuth client is configured for it. Ask the person who runs crm-migrate, or use CSV upload.' };
    default:
      return {
        title: `${name} could not be connected`,
        body: `Something went wrong (${code}). Click “Connect to ${name}” to try again; if it fails again, use CSV upload or contact support.`,
      };
  }
}

export const ROLE_NAMES: Record<string, string> = { OWNER: 'Owner', ADMIN: 'Admin', MEMBER: 'Member', VIEWER: 'Viewer' };

export function managerOnly(role: string): string {
  return `Only owners and admins can do this. You are signed in as ${ROLE_NAMES[role] ?? role}: ask an owner or admin of your organization.`;
}
