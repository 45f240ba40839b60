/**
 * The official Zoho CRM Node SDK (@zohocrm/nodejs-sdk-8.0), unmodified, against the Zoho sandbox: pointed at it
 * through the SDK's own configuration — an `Environment` whose API, accounts (token) and file URLs are the
 * sandbox's — with a FileStore for tokens and a temporary resource path. It exchanges a grant code with its
 * multipart token request, looks itself up (users?type=CurrentUser), reads field metadata
 * (FieldsOperations → settings/fields), pages through every record with page_token, counts, and runs a Bulk Read
 * job to the end, downloading the ZIP. Each read is checked against the sandbox's full set of records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ZOHO from '@zohocrm/nodejs-sdk-8.0';
import { sandboxOptions } from '../../sandbox/common/index.js';
import { zohoSandbox } from '../../sandbox/zoho/index.js';
import { decideOnConsentPage } from '../helpers/consent.js';

const CONTACTS = 2_345;
const ACTIVITIES = 700;
const REDIRECT = 'http://127.0.0.1:9/sdk/callback';
const SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoSearch.securesearch.READ,ZohoCRM.bulk.read';

// The SDK ships without types; these are the few members used here.
type Sdk = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const Z = ZOHO as unknown as Sdk;

let app: FastifyInstance;
let url: string;
let dir: string;
const tokenRequests: { contentType: string; grant: string }[] = [];
const instance = zohoSandbox.create(sandboxOptions({ rateLimits: 'off', records: { accounts: 40, contacts: CONTACTS, leads: 0, deals: 60, activities: ACTIVITIES }, extras: { bulkQueueMs: '300' } }));

beforeAll(async () => {
  app = Fastify({ forceCloseConnections: true });
  // Watches (does not change) what the SDK sends to the token endpoint.
  app.addHook('preHandler', async (req) => {
    if (req.url.startsWith('/oauth/v2/token') && !req.url.includes('revoke')) {
      tokenRequests.push({ contentType: String(req.headers['content-type'] ?? ''), grant: String((req.body as Record<string, string> | undefined)?.grant_type ?? '') });
    }
  });
  await app.register(instance.plugin);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address() as { port: number };
  url = `http://127.0.0.1:${addr.port}`;
  dir = mkdtempSync(join(tmpdir(), 'zoho-sdk-'));

  // A grant code as Zoho's console or a browser would get one: consent page → Allow.
  const q = new URLSearchParams({ scope: SCOPES, client_id: 'sandbox-client-id', response_type: 'code', access_type: 'offline', redirect_uri: REDIRECT, state: 's', prompt: 'consent' });
  const back = await decideOnConsentPage(`${url}/oauth/v2/auth?${q}`);
  const grant = back.searchParams.get('code') as string;

  const environment = new Z.Environment(url, `${url}/oauth/v2/token`, url);
  const token = new Z.OAuthBuilder().clientId('sandbox-client-id').clientSecret('sandbox-client-secret').grantToken(grant).redirectURL(REDIRECT).build();
  const logger = new Z.LogBuilder().level(Z.Levels.INFO).filePath(join(dir, 'sdk.log')).build();
  const sdkConfig = new Z.SDKConfigBuilder().pickListValidation(false).autoRefreshFields(false).build();
  await (await new Z.InitializeBuilder()).environment(environment).token(token).store(new Z.FileStore(join(dir, 'tokens.txt'))).SDKConfig(sdkConfig).resourcePath(dir).logger(logger).initialize();
}, 60_000);

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every id the sandbox holds for a module, from its own id scheme. */
async function expectedIds(module: string): Promise<Set<string>> {
  const { MODULES } = await import('../../sandbox/zoho/modules.js');
  const { zohoId } = await import('../../sandbox/zoho/ids.js');
  const state = instance.ctx.state as unknown as { modules: { live(m: unknown): { length: number; at(k: number): number } } };
  const spec = MODULES[module as keyof typeof MODULES];
  const list = state.modules.live(spec);
  return new Set(Array.from({ length: list.length }, (_, k) => zohoId(spec.code, list.at(k))));
}

/** Pages a module with the SDK: page 1, then page_token from info.next_page_token until more_records is false. */
async function sdkReadAll(module: string, fields: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pageToken: string | null = null;
  let pages = 0;
  for (;;) {
    const params = new Z.ParameterMap();
    await params.add(Z.Record.GetRecordsParam.FIELDS, fields);
    await params.add(Z.Record.GetRecordsParam.PER_PAGE, 200);
    if (pageToken) await params.add(Z.Record.GetRecordsParam.PAGE_TOKEN, pageToken);
    const response = await new Z.Record.RecordOperations(module).getRecords(params);
    pages++;
    if (response.getStatusCode() === 204) break;
    const wrapper = response.getObject();
    if (!(wrapper instanceof Z.Record.ResponseWrapper)) throw new Error(`SDK returned ${wrapper?.constructor?.name}: ${wrapper?.getCode?.()?.getValue?.()} ${wrapper?.getMessage?.()}`);
    for (const record of wrapper.getData()) ids.push(String(record.getId()));
    const info = wrapper.getInfo();
    if (!info.getMoreRecords()) break;
    pageToken = info.getNextPageToken();
  }
  return { ids, pages };
}

describe('Zoho CRM Node SDK 8.0 against the sandbox', () => {
  it('got its tokens with a multipart authorization_code request and found its user', async () => {
    expect(tokenRequests.length).toBeGreaterThanOrEqual(1);
    expect(tokenRequests[0]).toMatchObject({ grant: 'authorization_code' });
    expect(tokenRequests[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const stats = instance.ctx.stats.snapshot();
    expect(stats.requests.byEndpoint['GET /crm/v8/users']).toBeGreaterThanOrEqual(1);
  });

  it('uses a refresh token (multipart refresh_token grant) after switching user, and keeps reading', async () => {
    const q = new URLSearchParams({ scope: SCOPES, client_id: 'sandbox-client-id', response_type: 'code', access_type: 'offline', redirect_uri: REDIRECT, state: 's', prompt: 'consent' });
    const back = await decideOnConsentPage(`${url}/oauth/v2/auth?${q}`);
    const exchange = new URLSearchParams({ grant_type: 'authorization_code', client_id: 'sandbox-client-id', client_secret: 'sandbox-client-secret', redirect_uri: REDIRECT, code: back.searchParams.get('code') as string });
    const refreshToken = ((await (await fetch(`${url}/oauth/v2/token?${exchange}`, { method: 'POST' })).json()) as { refresh_token: string }).refresh_token;
    const environment = new Z.Environment(url, `${url}/oauth/v2/token`, url);
    const token = new Z.OAuthBuilder().clientId('sandbox-client-id').clientSecret('sandbox-client-secret').refreshToken(refreshToken).redirectURL(REDIRECT).build();
    await (await new Z.InitializeBuilder()).environment(environment).token(token).SDKConfig(new Z.SDKConfigBuilder().autoRefreshFields(false).build()).switchUser();
    const count = await new Z.Record.RecordOperations('Contacts').recordCount(new Z.ParameterMap());
    expect(Number(count.getObject().getCount())).toBe(CONTACTS);
    const refresh = tokenRequests.find((r) => r.grant === 'refresh_token');
    expect(refresh?.contentType).toMatch(/^multipart\/form-data; boundary=/);
  }, 30_000);

  it('reads field metadata, custom fields included (FieldsOperations → settings/fields)', async () => {
    const params = new Z.ParameterMap();
    await params.add(Z.Fields.GetFieldsParam.MODULE, 'Contacts');
    const response = await new Z.Fields.FieldsOperations().getFields(params);
    expect(response.getStatusCode()).toBe(200);
    const wrapper = response.getObject();
    expect(wrapper).toBeInstanceOf(Z.Fields.ResponseWrapper);
    const fields = wrapper.getFields() as Sdk[];
    const custom = fields.filter((f) => f.getCustomField() === true).map((f) => f.getAPIName());
    expect(custom).toEqual(['Preferred_Language', 'Newsletter_Opt_in', 'NPS_Score', 'Customer_Tier']);
    const account = fields.find((f) => f.getAPIName() === 'Account_Name');
    expect(account?.getLookup().getModule().getAPIName()).toBe('Accounts');
  });

  it('pages through every contact with page_token', async () => {
    const { ids, pages } = await sdkReadAll('Contacts', 'First_Name,Last_Name,Email,Account_Name,Owner,Created_Time');
    expect(pages).toBe(Math.ceil(CONTACTS / 200));
    expect(ids).toHaveLength(CONTACTS);
    expect(new Set(ids)).toEqual(await expectedIds('Contacts'));
  }, 60_000);

  it('pages through every task, meeting, call and note; the per-module counts add up', async () => {
    let total = 0;
    for (const [module, fields] of [['Tasks', 'Subject,What_Id,Who_Id'], ['Events', 'Event_Title,Start_DateTime'], ['Calls', 'Subject,Call_Type'], ['Notes', 'Note_Title,Parent_Id']] as const) {
      const { ids } = await sdkReadAll(module, fields);
      expect(new Set(ids)).toEqual(await expectedIds(module));
      total += ids.length;
      if (module !== 'Notes') {
        const count = await new Z.Record.RecordOperations(module).recordCount(new Z.ParameterMap());
        expect(Number(count.getObject().getCount())).toBe(ids.length);
      }
    }
    expect(total).toBe(ACTIVITIES);
  }, 60_000);

  it('runs a Bulk Read job to COMPLETED and downloads a ZIP whose CSV holds every contact', async () => {
    const ops = new Z.BulkRead.BulkReadOperations();
    const module = new Z.Modules.MinifiedModule();
    module.setAPIName('Contacts');
    const query = new Z.BulkRead.Query();
    await query.setModule(module);
    query.setFields(['Last_Name', 'Email', 'Account_Name']);
    query.setPage(1);
    const body = new Z.BulkRead.BodyWrapper();
    await body.setQuery(query);
    const created = await ops.createBulkReadJob(body);
    expect(created.getStatusCode()).toBe(201);
    const action = created.getObject().getData()[0];
    expect(action).toBeInstanceOf(Z.BulkRead.SuccessResponse);
    const jobId = String(action.getDetails().get('id'));

    let state = '';
    let result: Sdk | null = null;
    for (let k = 0; k < 50 && state !== 'COMPLETED'; k++) {
      const details = (await ops.getBulkReadJobDetails(BigInt(jobId))).getObject().getData()[0];
      state = details.getState().getValue();
      result = details.getResult();
      if (state !== 'COMPLETED') await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('COMPLETED');
    expect(Number(result!.getCount())).toBe(CONTACTS);
    expect(result!.getMoreRecords()).toBe(false);

    const file = await (await ops.downloadResult(BigInt(jobId))).getObject(); // a Promise for file bodies
    expect(file).toBeInstanceOf(Z.BulkRead.FileBodyWrapper);
    expect(file.getFile().getName()).toBe(`${jobId}.zip`);
    const zipBytes = file.getFile().getStream() as Buffer; // the SDK's StreamWrapper holds the response's rawBody
    expect(Buffer.isBuffer(zipBytes)).toBe(true);
    const csv = await new Promise<string>((resolve, reject) =>
      yauzl.fromBuffer(zipBytes, { lazyEntries: true }, (err, zip) => {
        if (err) return reject(err);
        zip.once('entry', (e: yauzl.Entry) => {
          expect(e.fileName).toBe(`${jobId}.csv`);
          zip.openReadStream(e, (err2, s) => {
            if (err2) return reject(err2);
            const parts: Buffer[] = [];
            s.on('data', (c: Buffer) => parts.push(c));
            s.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
          });
        });
        zip.readEntry();
      }),
    );
    const ids = csv.split('\r\n').slice(1).filter(Boolean).map((line) => line.slice(0, line.indexOf(',')));
    expect(new Set(ids)).toEqual(await expectedIds('Contacts'));
  }, 60_000);
});
