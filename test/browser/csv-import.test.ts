/**
 * CSV import end to end in Chromium: a HubSpot companies export, then a HubSpot contacts export whose upload
 * progress is watched (throttled upload), with mapping changes made in the UI (searchable combobox, by mouse and
 * by keyboard), the live preview following them, the run's reconciliation and error report, and the records
 * afterwards with their links (contact → account). axe-core on every page, screenshots of every step.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  axeCheck, clearFailureScreenshots, eventually, HAS_CHROMIUM, horizontalOverflow, launchBrowser, newContext, PASSWORD, requireChromium, screenshotOnFailure, saveAxeLog, screenshot, signUp, startServer, visible, type TestServer,
} from './harness.js';

requireChromium();

const COMPANIES = ['Acme Corporation', 'Globex', 'Initech', 'Umbrella Health', 'Stark Industries'];
const CONTACT_ROWS = 3000;
/** Rows (1-based data rows) whose last name is missing: they fail and land in the error report. */
const BAD_ROWS = new Set([3, 4]);

function csvLine(cells: Array<string | number>): string {
  return cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
}

function companiesCsv(): Buffer {
  const lines = [csvLine(['Record ID', 'Company name', 'Company Domain Name', 'Industry', 'City', 'Country/Region', 'Phone Number', 'Create Date'])];
  COMPANIES.forEach((name, i) => lines.push(csvLine([9000 + i, name, `${name.split(' ')[0]!.toLowerCase()}.example.com`, 'Software', 'Boston', 'United States', `+1 617 555 01${10 + i}`, '2023-05-01 10:00'])));
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

/** The i-th person of the contacts file (1-based). */
function person(i: number) {
  const first = ['Maria', 'Brian', 'Chen', 'Aisha', 'Lars', 'Sofía', 'Kenji', 'Olu'][i % 8]!;
  const last = BAD_ROWS.has(i) ? '' : ['Johnson', 'Halligan', 'Wei', 'Khan', 'Lindqvist', 'García', 'Tanaka', 'Adeyemi'][i % 8]!;
  const digits = String(1000 + (i % 9000)).padStart(4, '0');
  return { id: 100 + i, first, last, email: `${first.toLowerCase()}.${i}@example.com`, phone: `+1 617 555 ${digits}`, e164: `+1617555${digits}`, company: COMPANIES[i % COMPANIES.length]! };
}

function contactsCsv(): Buffer {
  const lines = [csvLine(['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Contact owner', 'Associated Company', 'Lifecycle Stage', 'Job Title', 'Create Date', 'Favorite Ice Cream'])];
  for (let i = 1; i <= CONTACT_ROWS; i++) {
    const p = person(i);
    lines.push(csvLine([p.id, p.first, p.last, p.email, p.phone, 'Sam Seller', p.company, i % 3 === 0 ? 'customer' : 'lead', 'Account Executive', '2024-01-05 09:12', i % 2 ? 'Vanilla' : 'Pistachio']));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

function dealsCsv(): Buffer {
  const lines = [
    csvLine(['Record ID', 'Deal Name', 'Deal Stage', 'Pipeline', 'Amount', 'Close Date', 'Deal owner', 'Associated Company IDs', 'Create Date']),
    csvLine([7001, 'Acme renewal', 'closedwon', 'Sales Pipeline', 12000, '2024-06-30', 'Sam Seller', 9000, '2024-01-10']),
    csvLine([7002, 'Globex new', 'appointmentscheduled', 'Sales Pipeline', 5000, '2024-07-30', 'Sam Seller', 9001, '2024-01-11']),
    csvLine([7003, 'Initech upsell', 'closedlost', 'Sales Pipeline', 800, '2024-08-15', 'Sam Seller', 9002, '2024-01-12']),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

let server: TestServer;
let browser: Browser;
let page: Page;
let email = '';
const a11y: string[] = [];
const stepHeading = (n: number) => page.getByRole('heading', { level: 2, name: new RegExp(`^Step ${n} of 5`) });

async function waitForEnd(timeout = 120_000): Promise<string> {
  await page.getByTestId('migration-progress').waitFor();
  await page.waitForFunction(
    () => ['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(document.querySelector('[data-testid="migration-progress"]')?.getAttribute('data-status') ?? ''),
    undefined,
    { timeout },
  );
  return (await page.getByTestId('migration-progress').getAttribute('data-status')) ?? '';
}

/** Steps 1–3 for a CSV of HubSpot: choose the CRM, CSV Upload, what the file holds. */
async function startCsvWizard(entityLabel: string) {
  await page.goto(`${server.url}/dashboard/settings/migration?new=1`);
  await page.getByRole('radio', { name: 'HubSpot', exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('radio', { name: 'CSV Upload' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await stepHeading(3).waitFor();
  await page.getByLabel('What does this file contain?').selectOption({ label: entityLabel });
}

describe.skipIf(!HAS_CHROMIUM)('CSV import in the browser', () => {
  beforeAll(async () => {
    clearFailureScreenshots('csv');
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await (await newContext(browser)).newPage();
  }, 240_000);

  afterEach(async (ctx) => screenshotOnFailure(page, 'csv', ctx.task));

  afterAll(async () => {
    saveAxeLog('csv-import');
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('signs up, and shows the organization, the user and the navigation', async () => {
    await page.goto(`${server.url}/signup`);
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    a11y.push(...(await axeCheck(page, 'sign-up page')));
    await screenshot(page, 'signup');
    email = await signUp(page, server.url, 'CSV Test Co');
    const header = page.getByRole('banner');
    expect(await header.innerText()).toContain('CSV Test Co');
    expect(await header.innerText()).toContain(email);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).toEqual(['Migrate data', 'Connections', 'Migrations', 'Records']);
    expect(await page.getByRole('link', { name: 'Migrate data' }).getAttribute('aria-current')).toBe('page');
  }, 60_000);

  it('imports a HubSpot companies export dropped on the page', async () => {
    await startCsvWizard('Accounts');
    // Drag and drop: a drop event carrying the file, as the browser sends it.
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'hubspot-companies.csv', { type: 'text/csv' }));
      return dt;
    }, companiesCsv().toString('utf8'));
    await page.getByTestId('csv-dropzone').dispatchEvent('dragover', { dataTransfer });
    await page.getByTestId('csv-dropzone').dispatchEvent('drop', { dataTransfer });
    await visible(page.getByText(`Found ${COMPANIES.length} accounts rows in 8 columns`));
    await page.getByRole('button', { name: 'Continue to field mapping' }).click();
    await stepHeading(4).waitFor();
    await visible(page.getByRole('region', { name: 'Preview of the first records' }));
    expect(await page.getByText('✗ Not mapped').count()).toBe(0);
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await page.getByRole('button', { name: 'Start import' }).click();
    expect(await waitForEnd()).toBe('completed');
    expect(await page.getByTestId('count-created').innerText()).toBe(String(COMPANIES.length));
  }, 120_000);

  it('uploads a HubSpot contacts export with visible progress, and detects it', async () => {
    await startCsvWizard('Contacts');
    a11y.push(...(await axeCheck(page, 'wizard step 3 (CSV upload)')));
    await screenshot(page, 'wizard-3-csv-upload');
    const file = contactsCsv();
    // Throttle the upload so its progress can be watched.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: Math.ceil(file.length / 4) });
    try {
      await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'hubspot-contacts.csv', mimeType: 'text/csv', buffer: file });
      const bar = page.getByRole('progressbar', { name: 'Uploading hubspot-contacts.csv' });
      await visible(bar);
      await eventually(async () => Number(await bar.getAttribute('aria-valuenow')), 15_000).toBeGreaterThan(0);
      const partway = Number(await bar.getAttribute('aria-valuenow'));
      expect(partway).toBeLessThan(100);
      await screenshot(page, 'wizard-3-csv-uploading');
      a11y.push(...(await axeCheck(page, 'wizard step 3 (CSV uploading)')));
    } finally {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await cdp.detach();
    }
    await visible(page.getByText(`Found ${CONTACT_ROWS.toLocaleString('en-US')} contacts rows in 11 columns`), 60_000);
    await visible(page.getByText('Looks like a HubSpot export'));
    a11y.push(...(await axeCheck(page, 'wizard step 3 (CSV uploaded)')));
    await screenshot(page, 'wizard-3-csv-uploaded');
    await page.getByRole('button', { name: 'Continue to field mapping' }).click();
    await stepHeading(4).waitFor();
  }, 120_000);

  it('changes the mapping in the UI, and the preview follows', async () => {
    const phone = page.getByRole('combobox', { name: 'Import “Phone Number” into' });
    await eventually(() => phone.inputValue()).toBe('Phone');
    const row = page.locator('li[data-source-field="Phone Number"]');
    expect(await row.innerText()).toMatch(/High confidence · \d+%/);
    const preview = page.getByRole('region', { name: 'Preview of the first records' });
    await eventually(() => preview.getByRole('columnheader').allInnerTexts()).toContain('Phone');

    // By mouse: open the list, search, click.
    await phone.click();
    await phone.fill('mobile');
    const listbox = page.getByRole('listbox', { name: 'Import “Phone Number” into' });
    await listbox.getByRole('option', { name: /^Mobile phone/ }).click();
    await eventually(() => phone.inputValue()).toBe('Mobile phone');
    expect(await row.innerText()).toContain('Changed by you');
    await eventually(() => preview.getByRole('columnheader').allInnerTexts()).toContain('Mobile phone');
    await eventually(() => preview.getByRole('columnheader').allInnerTexts()).not.toContain('Phone');

    // By keyboard: skip a field that has no standard target.
    const iceCream = page.getByRole('combobox', { name: 'Import “Favorite Ice Cream” into' });
    expect(await iceCream.inputValue()).toBe('Keep as custom field');
    await iceCream.focus();
    await page.keyboard.type('skip');
    expect(await iceCream.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await iceCream.getAttribute('aria-activedescendant')).toBeTruthy();
    await page.keyboard.press('Enter');
    await eventually(() => iceCream.inputValue()).toBe('Skip this field');
    expect(await iceCream.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('li[data-source-field="Favorite Ice Cream"]').innerText()).toContain('Skipped: not imported');
    // Escape leaves the choice as it was.
    await iceCream.focus();
    await page.keyboard.type('email');
    await page.keyboard.press('Escape');
    expect(await iceCream.inputValue()).toBe('Skip this field');

    // The rows that will fail are shown before importing.
    await visible(page.getByText('Some records would not be imported as they are'), 30_000);
    a11y.push(...(await axeCheck(page, 'wizard step 4 (CSV mapping, changed)')));
    await screenshot(page, 'wizard-4-csv-mapping');
    // Readable on a phone: nothing wider than the screen (wide tables scroll inside their own region).
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      expect(await horizontalOverflow(page), 'the mapping step scrolls sideways at 375 px').toBeLessThanOrEqual(0);
      await screenshot(page, 'mobile-375-mapping');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await stepHeading(5).waitFor();
    await visible(page.getByText(/1 changed by you|2 changed by you/));
  }, 120_000);

  it('imports it with the chosen duplicate policy; reconciliation, error report and progress shown', async () => {
    await page.getByRole('radio', { name: 'Only fill empty fields' }).check();
    a11y.push(...(await axeCheck(page, 'wizard step 5 (CSV review)')));
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { level: 2, name: 'Importing' }).waitFor();
    expect(await waitForEnd()).toBe('completed_with_errors');
    expect(await page.getByTestId('count-fetched').innerText()).toBe(CONTACT_ROWS.toLocaleString('en-US'));
    expect(await page.getByTestId('count-failed').innerText()).toBe(String(BAD_ROWS.size));
    expect(await page.getByTestId('count-created').innerText()).toBe((CONTACT_ROWS - BAD_ROWS.size).toLocaleString('en-US'));
    await visible(page.getByText('Not everything adds up'));
    await visible(page.getByText(`contacts: ${BAD_ROWS.size} records failed (see the error report).`));
    const report = page.getByRole('link', { name: 'Download the error report (CSV)' });
    const href = await report.getAttribute('href');
    const res = await page.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/csv');
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines.length).toBe(1 + BAD_ROWS.size);
    for (const r of BAD_ROWS) expect(lines.some((l) => l.includes(`${100 + r}`))).toBe(true);
    a11y.push(...(await axeCheck(page, 'wizard: CSV import finished')));
    await screenshot(page, 'wizard-6-csv-finished');
  }, 180_000);

  it('shows the records, searchable, with links between related records', async () => {
    await page.getByRole('link', { name: 'See the imported contacts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await visible(page.getByText(`${(CONTACT_ROWS - BAD_ROWS.size).toLocaleString('en-US')} contacts from this import`));
    const table = page.getByRole('region', { name: 'Contacts' });
    await eventually(() => table.getByRole('row').count()).toBe(26);
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(() => page.getByRole('button', { name: 'Previous page' }).count()).toBe(1);
    a11y.push(...(await axeCheck(page, 'records list')));

    const kenji = person(46);
    await page.getByLabel('Search contacts by name or e-mail').fill(kenji.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(() => table.getByRole('row').count()).toBe(2);
    await screenshot(page, 'records-contacts');
    const name = `${kenji.first} ${kenji.last}`;
    await table.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    // The mapping changes made in the UI: the phone number went into Mobile phone, the ice cream was skipped.
    const fields = page.getByRole('region', { name: 'Fields' });
    expect(await fields.getByRole('definition').allInnerTexts()).toContain(kenji.e164);
    expect(await fields.innerText()).toMatch(new RegExp(`Mobile phone\\s+\\${kenji.e164}`));
    expect(await fields.innerText()).not.toContain('Favorite Ice Cream');
    a11y.push(...(await axeCheck(page, 'record detail (contact)')));
    await screenshot(page, 'record-contact');
    // contact → account, and back: the account lists its contacts.
    await page.getByRole('region', { name: 'Belongs to' }).getByRole('link', { name: kenji.company }).click();
    await page.getByRole('heading', { level: 1, name: kenji.company }).waitFor();
    await visible(page.getByRole('heading', { name: /^Contacts/ }));
    a11y.push(...(await axeCheck(page, 'record detail (account)')));
  }, 120_000);

  it('lists the imports and shows one with the same progress view', async () => {
    await page.getByRole('link', { name: 'Migrations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
    const rows = page.getByRole('region', { name: 'Imports' }).getByRole('row');
    await eventually(() => rows.count()).toBe(3);
    expect(await rows.nth(1).innerText()).toContain('Completed with issues');
    a11y.push(...(await axeCheck(page, 'migrations list')));
    await screenshot(page, 'migrations');
    await rows.nth(1).getByRole('link').click();
    await page.getByTestId('migration-progress').waitFor();
    await visible(page.getByRole('heading', { name: 'Does everything add up?' }));
    a11y.push(...(await axeCheck(page, 'migration detail')));
    await screenshot(page, 'migration-detail');
  }, 60_000);

  it('imports HubSpot deals with a picklist value mapped differently, linked to their accounts', async () => {
    await startCsvWizard('Deals');
    await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'hubspot-deals.csv', mimeType: 'text/csv', buffer: dealsCsv() });
    await visible(page.getByText('Found 3 deals rows'));
    await page.getByRole('button', { name: 'Continue to field mapping' }).click();
    await stepHeading(4).waitFor();
    expect(await page.getByRole('combobox', { name: 'Import “Deal Stage” into' }).inputValue()).toBe('Stage');
    const values = page.getByRole('group', { name: /^Values of “Deal Stage”/ });
    await visible(values);
    const booked = values.getByLabel('appointmentscheduled');
    expect(await booked.inputValue()).toBe('Appointment Scheduled');
    await booked.fill('Demo booked');
    const preview = page.getByRole('region', { name: 'Preview of the first records' });
    await eventually(() => preview.innerText()).toContain('Demo booked');
    a11y.push(...(await axeCheck(page, 'wizard step 4 (picklist values)')));
    await screenshot(page, 'wizard-4-picklist-values');
    await page.getByRole('button', { name: 'Continue to review' }).click();
    await page.getByRole('button', { name: 'Start import' }).click();
    expect(await waitForEnd()).toBe('completed');
    await page.getByRole('link', { name: 'See the imported deals' }).click();
    const table = page.getByRole('region', { name: 'Deals' });
    await eventually(() => table.getByRole('row').count()).toBe(4);
    const row = table.getByRole('row', { name: /Globex new/ });
    expect(await row.innerText()).toContain('Demo booked');
    // deal → account
    await row.getByRole('link', { name: 'Linked account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Globex' }).waitFor();
    const deals = page.getByRole('region', { name: /^Deals/ });
    expect(await deals.getByRole('link').allInnerTexts()).toContain('Globex new');
  }, 120_000);

  it('signs out, explains a wrong password, and signs back in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.goto(`${server.url}/dashboard/migrations`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    a11y.push(...(await axeCheck(page, 'sign-in page')));
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await visible(alert);
    expect(await alert.innerText()).toContain('The e-mail or password is wrong');
    a11y.push(...(await axeCheck(page, 'sign-in page with an error')));
    await screenshot(page, 'signin-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the sign-in interrupted: the page asked for before.
    await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
  }, 60_000);

  it('has no serious or critical accessibility violations on any page checked', () => {
    expect(a11y).toEqual([]);
  });
});
