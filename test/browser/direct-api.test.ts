/**
 * Direct API end to end in Chromium: for each of the five CRMs, connect through its sandbox's consent page (Allow)
 * and import contacts to completion, then see them; Deny explained; the whole-CRM import with progress that moves;
 * the connections page; a MEMBER who sees everything but cannot act. axe-core on every page and wizard step.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CRM_IDS, CRM_NAMES, type CrmId } from '../../src/core/ids.js';
import {
  apiFromPage, clearFailureScreenshots, screenshotOnFailure, axeCheck, eventually, HAS_CHROMIUM, tracer, visible, horizontalOverflow, launchBrowser, newContext, PASSWORD, requireChromium, saveAxeLog, screenshot, signIn, signUp, startServer, uniqueEmail,
  type TestServer,
} from './harness.js';

requireChromium();

let server: TestServer;
let browser: Browser;
let page: Page;
const a11y: string[] = [];

/** Step headings of the wizard, e.g. "Step 3 of 5: Your data". */
const stepHeading = (page: Page, n: number) => page.getByRole('heading', { level: 2, name: new RegExp(`^Step ${n} of 5`) });

async function connect(page: Page, crm: CrmId, decision: 'Allow' | 'Deny', options: { axe?: boolean } = {}) {
  await page.getByRole('radio', { name: CRM_NAMES[crm], exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await stepHeading(page, 2).waitFor();
  await page.getByRole('radio', { name: 'Direct API' }).check();
  if (options.axe) a11y.push(...(await axeCheck(page, 'wizard step 2 (import method)')));
  if (options.axe) await screenshot(page, 'wizard-2-import-method');
  await page.getByRole('button', { name: `Connect to ${CRM_NAMES[crm]}` }).click();
  await page.waitForURL((u) => u.pathname.includes(`/sandbox/${crm}/`) || !u.href.startsWith(server.url));
  await page.getByRole('button', { name: decision, exact: true }).waitFor();
  if (options.axe) {
    a11y.push(...(await axeCheck(page, `${crm} sandbox consent page`)));
    await screenshot(page, `consent-${crm}`);
  }
  await page.getByRole('button', { name: decision, exact: true }).click();
  await page.waitForURL((u) => u.href.startsWith(server.url) && u.pathname === '/dashboard/settings/migration');
}

async function waitForEnd(page: Page, timeout = 90_000): Promise<string> {
  const progress = page.getByTestId('migration-progress');
  await progress.waitFor();
  await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="migration-progress"]')?.getAttribute('data-status');
      return s === 'completed' || s === 'completed_with_errors' || s === 'failed' || s === 'cancelled';
    },
    undefined,
    { timeout },
  );
  return (await progress.getAttribute('data-status')) ?? '';
}

describe.skipIf(!HAS_CHROMIUM)('Direct API in the browser', () => {
  beforeAll(async () => {
    clearFailureScreenshots('api');
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const context = await newContext(browser);
    page = await context.newPage();
    await signUp(page, server.url, 'Direct API Test Co');
  }, 240_000);

  afterEach(async (ctx) => screenshotOnFailure(page, 'api', ctx.task));

  afterAll(async () => {
    saveAxeLog('direct-api');
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('builds with every CRM sandbox present', () => {
    expect(server.missing, 'sandboxes not part of this build').toEqual([]);
  });

  it('explains a Deny on the consent page in the wizard, at the import-method step', async () => {
    await page.goto(`${server.url}/dashboard/settings/migration?new=1`);
    await connect(page, 'pipedrive', 'Deny');
    const alert = page.getByRole('alert');
    await visible(alert);
    expect(await alert.innerText()).toContain('Pipedrive was not connected: access was denied');
    expect(await alert.innerText()).toContain('choose “Allow”');
    await stepHeading(page, 2).waitFor();
    expect(await page.getByRole('radio', { name: 'Direct API' }).isChecked()).toBe(true);
    a11y.push(...(await axeCheck(page, 'wizard: access denied')));
    await screenshot(page, 'wizard-2-access-denied');
  }, 90_000);

  for (const crm of CRM_IDS) {
    it(`${CRM_NAMES[crm]}: connects on the consent page and imports contacts to completion`, async () => {
      const first = crm === CRM_IDS[0];
      const expected = server.sandboxes[crm]!.ctx.world.counts.contacts;
      const t = tracer(crm);
      await page.goto(`${server.url}/dashboard/settings/migration?new=1`);
      await stepHeading(page, 1).waitFor();
      if (first) {
        a11y.push(...(await axeCheck(page, 'wizard step 1 (choose CRM)')));
        await screenshot(page, 'wizard-1-choose-crm');
      }
      t('step 1');
      await connect(page, crm, 'Allow', { axe: first });
      t('connected');

      await visible(page.getByRole('status').filter({ hasText: `Connected to ${CRM_NAMES[crm]}` }));
      await stepHeading(page, 3).waitFor();
      await page.getByRole('radio', { name: 'Contacts', exact: true }).check();
      const count = page.getByTestId('record-count');
      await eventually(() => count.innerText(), 30_000).toBe(`Found ${expected.toLocaleString('en-US')} contacts records`);
      await visible(page.getByText(/Using (Bulk|Standard) API for optimal performance/));
      if (first) {
        a11y.push(...(await axeCheck(page, 'wizard step 3 (Direct API record count)')));
        await screenshot(page, 'wizard-3-api-record-count');
      }
      t('counted');
      await page.getByRole('button', { name: 'Continue to field mapping' }).click();

      await stepHeading(page, 4).waitFor({ timeout: 60_000 });
      t('mapping shown');
      await visible(page.getByRole('region', { name: 'Preview of the first records' }), 30_000);
      expect(await page.getByText('✗ Not mapped').count()).toBe(0);
      if (first) {
        a11y.push(...(await axeCheck(page, 'wizard step 4 (field mapping, Direct API)')));
        await screenshot(page, 'wizard-4-api-mapping');
      }
      t('preview shown');
      await page.getByRole('button', { name: 'Continue to review' }).click();

      await stepHeading(page, 5).waitFor();
      await visible(page.getByText(`Contacts (${expected})`));
      if (first) {
        a11y.push(...(await axeCheck(page, 'wizard step 5 (review)')));
        await screenshot(page, 'wizard-5-review');
      }
      await page.getByRole('button', { name: 'Start import' }).click();
      await page.getByRole('heading', { level: 2, name: 'Importing' }).waitFor();
      t('started');
      const status = await waitForEnd(page);
      t('ended');
      expect(['completed', 'completed_with_errors'], `run ended ${status}`).toContain(status);
      expect(await page.getByTestId('count-fetched').innerText()).toBe(expected.toLocaleString('en-US'));
      expect(await page.getByTestId('count-failed').innerText()).toBe('0');
      await visible(page.getByRole('heading', { name: 'Does everything add up?' }));
      const recon = page.getByRole('region', { name: 'Reconciliation per kind of record' });
      expect(await recon.getByRole('row', { name: /Contacts/ }).innerText()).toContain(`${expected}`);
      if (first) {
        a11y.push(...(await axeCheck(page, 'wizard: import finished (reconciliation)')));
        await screenshot(page, 'wizard-6-api-finished');
      }

      await page.getByRole('link', { name: 'See the imported contacts' }).click();
      await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
      await visible(page.getByText(`${expected} contacts from this import`));
      const rows = page.getByRole('region', { name: 'Contacts' }).getByRole('row');
      await eventually(() => rows.count()).toBe(expected + 1);
      const sources = await page.getByRole('region', { name: 'Contacts' }).locator('tbody td:last-child').allInnerTexts();
      expect(new Set(sources)).toEqual(new Set([CRM_NAMES[crm]]));
    }, 180_000);
  }

  it('imports a whole CRM in dependency order, and the progress view moves while it runs', async () => {
    const sandbox = server.sandboxes.hubspot!;
    const t = tracer('whole CRM');
    try {
      await page.goto(`${server.url}/dashboard/settings/migration?new=1`);
      await page.getByRole('radio', { name: 'HubSpot', exact: true }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('radio', { name: 'Direct API' }).check();
      await visible(page.getByText('Connected', { exact: true }));
      await page.getByRole('button', { name: 'Continue' }).click();
      await stepHeading(page, 3).waitFor();
      await page.getByRole('radio', { name: /^Everything/ }).check();
      await eventually(() => page.getByTestId('record-count').innerText(), 60_000).toContain('records in HubSpot');
      expect(await page.getByRole('region', { name: 'Records per kind' }).getByRole('row').count()).toBe(6);
      t('counted');
      await page.getByRole('button', { name: 'Continue to field mapping' }).click();
      await stepHeading(page, 4).waitFor({ timeout: 90_000 });
      t('mapping shown');
      const tabs = page.getByRole('tablist', { name: 'Kinds of records' }).getByRole('tab');
      expect(await tabs.allInnerTexts()).toEqual(['Accounts', 'Contacts', 'Leads', 'Deals', 'Activities']);
      // Keyboard: arrow keys move between the entity tabs.
      await tabs.first().focus();
      await page.keyboard.press('ArrowRight');
      await eventually(() => tabs.nth(1).getAttribute('aria-selected')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Contacts');
      await visible(page.getByRole('tabpanel'));
      a11y.push(...(await axeCheck(page, 'wizard step 4 (whole CRM, tabs)')));
      t('axe');
      await page.getByRole('button', { name: 'Continue to review' }).click();
      await stepHeading(page, 5).waitFor();
      // Slow HubSpot's API down (every request 150–250 ms) so the run takes a few seconds and progress can be seen.
      sandbox.ctx.configure({ faultRate: 1, faultWeights: { rate_limit: 0, server_error: 0, bad_gateway: 0, unavailable: 0, reset: 0, truncate: 0, slow: 1 }, slowMs: [150, 250] });
      await page.getByRole('button', { name: 'Start import' }).click();

      // Sample what the page shows while the run goes on: the numbers must move before the end.
      const seen: Array<{ fetched: number; phase: string; status: string }> = [];
      await page.getByTestId('migration-progress').waitFor();
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const status = (await page.getByTestId('migration-progress').getAttribute('data-status')) ?? '';
        const fetched = Number((await page.getByTestId('count-fetched').innerText()).replace(/\D/g, ''));
        const phase = await page.getByTestId('migration-phase').innerText();
        seen.push({ fetched, phase, status });
        if (['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(status)) break;
        await page.waitForTimeout(250);
      }
      t('ended');
      const final = seen[seen.length - 1]!;
      expect(['completed', 'completed_with_errors']).toContain(final.status);
      const whileRunning = seen.filter((s) => s.status === 'running');
      const distinct = new Set(whileRunning.map((s) => s.fetched));
      expect(distinct.size, `fetched counts seen while running: ${[...distinct].join(', ')}`).toBeGreaterThanOrEqual(2);
      expect(whileRunning.some((s) => s.fetched > 0 && s.fetched < final.fetched), 'an intermediate count was shown').toBe(true);
      expect(new Set(whileRunning.map((s) => s.phase)).size, 'the phase changed while running').toBeGreaterThanOrEqual(2);
      const recon = page.getByRole('region', { name: 'Reconciliation per kind of record' });
      expect(await recon.getByRole('row').count()).toBe(6);
      a11y.push(...(await axeCheck(page, 'wizard: whole-CRM import finished')));
    } finally {
      sandbox.ctx.configure({ faultRate: 0 });
    }
  }, 240_000);

  it('cancels a running import; what was written is kept and reported', async () => {
    const sandbox = server.sandboxes.hubspot!;
    try {
      await page.goto(`${server.url}/dashboard/settings/migration?new=1`);
      await page.getByRole('radio', { name: 'HubSpot', exact: true }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('radio', { name: 'Direct API' }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('radio', { name: /^Everything/ }).check();
      await visible(page.getByTestId('record-count'), 60_000);
      await page.getByRole('button', { name: 'Continue to field mapping' }).click();
      await stepHeading(page, 4).waitFor({ timeout: 90_000 });
      await page.getByRole('button', { name: 'Continue to review' }).click();
      await stepHeading(page, 5).waitFor();
      sandbox.ctx.configure({ faultRate: 1, faultWeights: { rate_limit: 0, server_error: 0, bad_gateway: 0, unavailable: 0, reset: 0, truncate: 0, slow: 1 }, slowMs: [300, 400] });
      await page.getByRole('button', { name: 'Start import' }).click();
      await eventually(() => page.getByTestId('migration-phase').innerText(), 60_000).toMatch(/^Importing/);
      await page.getByRole('button', { name: 'Cancel import' }).click();
      await page.getByRole('button', { name: 'Yes, stop the import' }).click();
      expect(await waitForEnd(page)).toBe('cancelled');
      await visible(page.getByText('Not everything adds up'));
      expect(await page.getByRole('alert').or(page.getByRole('status')).filter({ hasText: 'Not everything adds up' }).innerText()).toMatch(/stopped after \d+ of \d+ records \(cancelled\)/);
      a11y.push(...(await axeCheck(page, 'wizard: import cancelled')));
      await screenshot(page, 'wizard-6-cancelled');
    } finally {
      sandbox.ctx.configure({ faultRate: 0 });
    }
  }, 180_000);

  it('shows monday.com board choices', async () => {
    await page.goto(`${server.url}/dashboard/settings/migration?new=1`);
    await page.getByRole('radio', { name: 'monday.com', exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('radio', { name: 'Direct API' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await stepHeading(page, 3).waitFor();
    await page.getByText('Which monday.com board holds which records?').click();
    await visible(page.getByLabel('Contacts board ID'));
    await visible(page.getByTestId('record-count'), 30_000);
    a11y.push(...(await axeCheck(page, 'wizard step 3 (monday boards)')));
    // A board that does not exist: saved, then the count explains what is wrong.
    await page.getByLabel('Contacts board ID').fill('999999999');
    await page.getByRole('button', { name: 'Save boards' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'monday.com could not be counted' });
    await visible(problem, 30_000);
    expect(await problem.innerText()).toMatch(/board/i);
    await screenshot(page, 'wizard-3-monday-board-missing');
    // Back to finding the board by its name.
    await page.getByLabel('Contacts board ID').fill('');
    await page.getByRole('button', { name: 'Save boards' }).click();
    await visible(page.getByTestId('record-count'), 30_000);
  }, 90_000);

  it('connections page: test, the audit trail, and disconnect', async () => {
    await page.goto(`${server.url}/dashboard/settings/connections`);
    await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
    for (const crm of CRM_IDS) await visible(page.getByRole('heading', { level: 2, name: CRM_NAMES[crm] }));
    const card = page.getByRole('article', { name: 'Salesforce' });
    await card.getByRole('button', { name: 'Test' }).click();
    await eventually(() => card.getByRole('status').innerText()).toContain('the connection works');
    await card.getByText('History of this connection').click();
    await visible(card.getByText(/^Tested by/));
    a11y.push(...(await axeCheck(page, 'connections page')));
    await screenshot(page, 'connections');
    await card.getByRole('button', { name: 'Disconnect' }).click();
    await card.getByRole('button', { name: 'Yes, disconnect' }).click();
    await visible(page.getByRole('button', { name: 'Connect to Salesforce' }));
  }, 90_000);

  it('a MEMBER sees the pages but cannot connect, count or start imports', async () => {
    const email = uniqueEmail('member');
    const added = await apiFromPage(page, 'POST', '/api/organizations/members', { email, password: PASSWORD, role: 'MEMBER' });
    expect(added.status).toBe(201);
    const context = await newContext(browser);
    const member = await context.newPage();
    try {
      await signIn(member, server.url, email);
      await visible(member.getByText('You can look, but not import'));
      await member.getByRole('radio', { name: 'Pipedrive', exact: true }).check();
      await member.getByRole('button', { name: 'Continue' }).click();
      await member.getByRole('radio', { name: 'Direct API' }).check();
      // Pipedrive is connected: the member can look at the plan step, but counting is for managers.
      await member.getByRole('button', { name: 'Continue' }).click();
      await stepHeading(member, 3).waitFor();
      await visible(member.getByText(/Only owners and admins can do this/));
      expect(await member.getByRole('button', { name: 'Continue to field mapping' }).isDisabled()).toBe(true);
      a11y.push(...(await axeCheck(member, 'wizard as MEMBER')));
      await screenshot(member, 'member-wizard');

      await member.goto(`${server.url}/dashboard/settings/connections`);
      const test = member.getByRole('button', { name: 'Test' }).first();
      await visible(test);
      expect(await test.isDisabled()).toBe(true);
      const describedBy = await test.getAttribute('aria-describedby');
      expect(describedBy).toBeTruthy();
      expect(await member.locator(`[id="${describedBy}"]`).innerText()).toContain('You are signed in as Member');
      expect(await member.getByRole('button', { name: 'Disconnect' }).first().isDisabled()).toBe(true);
      a11y.push(...(await axeCheck(member, 'connections as MEMBER')));

      await member.goto(`${server.url}/dashboard/migrations`);
      await member.getByRole('region', { name: 'Imports' }).getByRole('row').filter({ hasText: 'Completed' }).first().getByRole('link').click();
      await member.getByTestId('migration-progress').waitFor();
      await visible(member.getByRole('button', { name: 'Undo this import' }));
      expect(await member.getByRole('button', { name: 'Undo this import' }).isDisabled()).toBe(true);
      // And the API agrees: starting an import is refused for the role.
      const refused = await apiFromPage<{ error: { code: string } }>(member, 'POST', '/api/import-export/import-api', { connectionId: '00000000-0000-4000-8000-000000000000', entityType: 'contacts', fieldMappings: [] });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('is readable at 375 px', async () => {
    const context = await newContext(browser, { width: 375, height: 800 });
    const small = await context.newPage();
    try {
      // Same session: copy the cookies.
      await context.addCookies(await page.context().cookies());
      for (const path of ['/dashboard/settings/migration', '/dashboard/settings/connections', '/dashboard/migrations', '/dashboard/records/contacts']) {
        await small.goto(`${server.url}${path}`);
        await small.getByRole('heading', { level: 1 }).waitFor();
        await small.waitForLoadState('networkidle');
        expect(await horizontalOverflow(small), `${path} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
      }
      await small.goto(`${server.url}/dashboard/settings/migration`);
      await screenshot(small, 'mobile-375-wizard');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('has no serious or critical accessibility violations on any page checked', () => {
    expect(a11y).toEqual([]);
  });
});
