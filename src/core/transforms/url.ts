/** Web addresses and domains. */
import { fail, isBlank, ok, show, type RawValue, type TransformResult } from './result.js';

const HOST_RE = /^(?=.{4,253}$)([a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff]{2,63}$/i;

/** `acme.com/about` → `https://acme.com/about`; the host is lower-cased. */
export function normaliseUrl(raw: RawValue): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  const text = String(raw).trim();
  if (text.length > 2048) return fail(`${show(text)} is too long to be a web address.`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text.replace(/^\/\//, '')}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail(`${show(text)} is not a web address.`);
  }
  if (!/^https?:$/.test(url.protocol) || !HOST_RE.test(url.hostname)) return fail(`${show(text)} is not a web address.`);
  return ok(url.href.replace(/\/$/, url.pathname === '/' && !text.endsWith('/') ? '' : '/'));
}

/** `https://www.Acme.com/x`, `jane@acme.com` or `acme.com` → `acme.com`. */
export function extractDomain(raw: RawValue): TransformResult<string | null> {
  if (isBlank(raw)) return ok(null);
  const text = String(raw).trim();
  const at = text.lastIndexOf('@');
  const host = at >= 0 ? text.slice(at + 1) : text;
  const url = normaliseUrl(host);
  if (!url.ok || url.value === null) return fail(`${show(text)} holds no domain.`);
  return ok(new URL(url.value).hostname.replace(/^www\./, ''));
}

/** Whether a string is a bare domain such as `acme.co.uk`. */
export function looksDomain(text: string): boolean {
  return HOST_RE.test(text.trim()) && !/\s/.test(text);
}
