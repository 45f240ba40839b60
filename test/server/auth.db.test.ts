import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, login, PASSWORD, signup, uniqueEmail, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('signup', () => {
  it('creates the user, the organization with role OWNER, and a session cookie', async () => {
    const email = uniqueEmail();
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password: PASSWORD, organizationName: 'Globex' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user.email).toBe(email);
    expect(body.organization.name).toBe('Globex');
    expect(body.role).toBe('OWNER');
    expect(body).not.toHaveProperty('user.passwordHash');
    const cookie = res.cookies.find((c) => c.name === 'cm_session');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Lax');
    expect(cookie!.secure).toBeFalsy(); // plain http in tests
  });

  it('marks the cookie Secure when served over https (behind a proxy)', async () => {
    const proxied = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const res = await proxied.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: uniqueEmail(), password: PASSWORD, organizationName: 'Secure Co' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.cookies.find((c) => c.name === 'cm_session')!.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it('refuses a second account with the same e-mail, whatever its case', async () => {
    const email = uniqueEmail();
    await signup(t.app, email);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email: email.toUpperCase(), password: PASSWORD, organizationName: 'Again' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('EMAIL_TAKEN');
  });

  it.each([
    ['no body', undefined],
    ['bad e-mail', { email: 'nope', password: PASSWORD, organizationName: 'X' }],
    ['short password', { email: 'a@b.co', password: 'short', organizationName: 'X' }],
    ['missing organization', { email: 'a@b.co', password: PASSWORD }],
    ['wrong types', { email: 5, password: [], organizationName: {} }],
  ])('answers 400 VALIDATION_FAILED for %s', async (_label, payload) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/signup', payload: payload as object });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(typeof body.error.message).toBe('string');
  });

  it('answers 400 INVALID_JSON for a malformed JSON body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/signup', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
  });

  it('answers 415 for a content type the endpoint does not take', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/signup', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('login, me, logout', () => {
  it('logs in, reports who I am, and logs out', async () => {
    const created = await signup(t.app);
    const session = await login(t.app, created.email);
    const me = await as(t.app, session)({ method: 'GET', url: '/api/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: created.email }, role: 'OWNER', via: 'session', organization: { id: created.organizationId } });

    const out = await as(t.app, session)({ method: 'POST', url: '/api/auth/logout' });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a wrong password and an unknown e-mail the same way', async () => {
    const created = await signup(t.app);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: created.email, password: 'not the password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: uniqueEmail(), password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('rate-limits repeated login attempts for one e-mail', async () => {
    const created = await signup(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: created.email, password: 'wrong password!' } });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    const limited = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: created.email, password: PASSWORD } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('requires the CSRF header for state-changing requests made with the cookie', async () => {
    const session = await signup(t.app);
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: session.cookie }, payload: { name: 'ci' } });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('CSRF_FAILED');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: session.cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: { name: 'ci' } });
    expect(wrong.statusCode).toBe(403);
    const right = await as(t.app, session)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'ci' } });
    expect(right.statusCode).toBe(201);
  });

  it('answers 401 on protected routes without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/organizations/current' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });
});

describe('API tokens', () => {
  it('creates a token shown once, usable as Bearer without CSRF, listed without its secret, revocable', async () => {
    const session = await signup(t.app);
    const created = await as(t.app, session)({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'script' } });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token).toMatch(/^cmt_/);

    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ via: 'token', organization: { id: session.organizationId }, role: 'OWNER' });
    const write = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { authorization: `Bearer ${token}` }, payload: { name: 'second' } });
    expect(write.statusCode).toBe(201);

    const list = await as(t.app, session)({ method: 'GET', url: '/api/auth/tokens' });
    expect(list.body).not.toContain(token);
    expect(list.json().tokens.map((x: { id: string }) => x.id)).toContain(apiToken.id);

    const { rows } = await t.ctx.database.raw.query<{ token_hash: string }>('select token_hash from api_tokens where id = $1', [apiToken.id]);
    expect(rows[0]!.token_hash).not.toContain(token);

    expect((await as(t.app, session)({ method: 'DELETE', url: `/api/auth/tokens/${apiToken.id}` })).statusCode).toBe(204);
    const revoked = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(revoked.statusCode).toBe(401);
  });

  it('rejects a malformed Authorization header and an unknown token', async () => {
    for (const authorization of ['Basic abc', 'Bearer', 'Bearer cmt_unknown', 'Bearer not-ours']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('members', () => {
  it('adds members with roles, lists them, and lets them log in', async () => {
    const owner = await signup(t.app);
    const email = uniqueEmail('member');
    const added = await as(t.app, owner)({ method: 'POST', url: '/api/organizations/members', payload: { email, password: PASSWORD, role: 'MEMBER' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ email, role: 'MEMBER' });
    const again = await as(t.app, owner)({ method: 'POST', url: '/api/organizations/members', payload: { email, password: PASSWORD, role: 'MEMBER' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('MEMBER_EXISTS');

    const list = await as(t.app, owner)({ method: 'GET', url: '/api/organizations/members' });
    expect(list.json().members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual(
      expect.arrayContaining([
        [owner.email, 'OWNER'],
        [email, 'MEMBER'],
      ]),
    );
    const member = await login(t.app, email);
    expect(member.organizationId).toBe(owner.organizationId);
  });

  it('adds an existing account to a second organization, which it can switch to', async () => {
    const a = await signup(t.app, uniqueEmail(), 'Org A');
    const b = await signup(t.app, uniqueEmail(), 'Org B');
    const res = await as(t.app, b)({ method: 'POST', url: '/api/organizations/members', payload: { email: a.email, role: 'VIEWER' } });
    expect(res.statusCode).toBe(201);
    const me = await as(t.app, a)({ method: 'GET', url: '/api/auth/me' });
    expect(me.json().organizations).toHaveLength(2);
    expect((await as(t.app, a)({ method: 'POST', url: '/api/auth/switch-organization', payload: { organizationId: b.organizationId } })).statusCode).toBe(204);
    const after = await as(t.app, a)({ method: 'GET', url: '/api/auth/me' });
    expect(after.json()).toMatchObject({ organization: { id: b.organizationId }, role: 'VIEWER' });
  });

  it('needs a password for a new account and keeps at least one owner', async () => {
    const owner = await signup(t.app);
    const noPw = await as(t.app, owner)({ method: 'POST', url: '/api/organizations/members', payload: { email: uniqueEmail(), role: 'ADMIN' } });
    expect(noPw.statusCode).toBe(400);
    const members = (await as(t.app, owner)({ method: 'GET', url: '/api/organizations/members' })).json().members;
    const self = members.find((m: { email: string }) => m.email === owner.email);
    const demote = await as(t.app, owner)({ method: 'PATCH', url: `/api/organizations/members/${self.id}`, payload: { role: 'ADMIN' } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('LAST_OWNER');
  });

  it('does not let an admin create an owner', async () => {
    const owner = await signup(t.app);
    const adminEmail = uniqueEmail('admin');
    await as(t.app, owner)({ method: 'POST', url: '/api/organizations/members', payload: { email: adminEmail, password: PASSWORD, role: 'ADMIN' } });
    const admin = await login(t.app, adminEmail);
    const res = await as(t.app, admin)({ method: 'POST', url: '/api/organizations/members', payload: { email: uniqueEmail(), password: PASSWORD, role: 'OWNER' } });
    expect(res.statusCode).toBe(403);
  });
});

describe('system routes', () => {
  it('reports health with the driver', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { driver: t.ctx.database.driver, ok: true } });
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/signup', '/api/organizations/members', '/api/health']));
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('exposes Prometheus metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/api/health' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('crm_migrate_http_request_duration_seconds_bucket');
    expect(res.body).toMatch(/route="\/api\/health"/);
  });

  it('answers unknown API paths with ROUTE_NOT_FOUND in the common shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/does-not-exist' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: expect.stringContaining('/api/does-not-exist') } });
  });
});
