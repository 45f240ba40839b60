/**
 * Click Allow or Deny on a sandbox's consent page, as a browser would: GET the authorize URL, read the form,
 * POST it with the chosen button, and return where the CRM redirects back to.
 */
function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export async function decideOnConsentPage(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html);
  if (!form) throw new Error(`no consent form on the page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.append(unescapeHtml(m[1]!), unescapeHtml(m[2]!));
  fields.set('decision', decision);
  const res = await fetch(unescapeHtml(form[1]!), { method: 'POST', body: fields, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) throw new Error(`consent POST answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return new URL(location);
}
