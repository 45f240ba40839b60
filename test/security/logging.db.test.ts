import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets, scrubUrl } from '../../src/logger.js';
import { createTestApp, PASSWORD, type TestApp } from '../helpers/app.js';
import { LogCapture } from '../helpers/log-capture.js';

const SECRET = `s3cr3t-${crypto.randomUUID()}`;
let t: TestApp;
const capture = new LogCapture();
beforeAll(async () => {
  t = await createTestApp({ logDestination: capture, logLevel: 'trace' });
});
afterAll(async () => t.close());

describe('logs keep no secrets', () => {
  it('a request carrying a known secret in headers, cookie, body and query leaves no trace of it', async () => {
    await t.app.inject({
      method: 'POST',
      url: `/api/auth/login?code=${SECRET}&state=${SECRET}&access_token=${SECRET}`,
      headers: { authorization: `Bearer ${SECRET}`, cookie: `cm_session=${SECRET}`, 'x-csrf-token': SECRET },
      payload: { email: 'someone@example.com', password: SECRET },
    });
    await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email: 'x@example.com', password: SECRET, organizationName: 'X' } });
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'x@example.com', password: SECRET } });
    await t.app.inject({ method: 'GET', url: `/api/crm-integrations/hubspot/callback?code=${SECRET}&state=${SECRET}` });
    expect(capture.lines.length).toBeGreaterThan(3); // the requests were logged …
    expect(capture.text).toContain('/api/auth/login');
    expect(capture.text).not.toContain(SECRET); // … without the secret
    expect(capture.text).not.toContain(PASSWORD);
  });

  it('scrubs secrets nested anywhere in a logged object', () => {
    const cap = new LogCapture();
    const log = createLogger({ level: 'info', destination: cap });
    log.info({ connection: { id: 'c1', tokens: { accessToken: SECRET, refresh_token: SECRET } }, list: [{ client_secret: SECRET }], headers: { Authorization: SECRET } }, 'refreshed');
    log.error({ err: Object.assign(new Error('boom'), { config: { headers: { authorization: `Bearer ${SECRET}` } } }) }, 'failed');
    expect(cap.text).toContain('refreshed');
    expect(cap.text).toContain('c1');
    expect(cap.text).not.toContain(SECRET);
  });

  it('cuts secret query parameters from URLs', () => {
    expect(scrubUrl(`/cb?code=${SECRET}&state=abc&x=1`)).toBe('/cb?code=[redacted]&state=[redacted]&x=1');
    expect(scrubSecrets({ url: `/x?refresh_token=${SECRET}` })).toEqual({ url: '/x?refresh_token=[redacted]' });
  });
});
