/** Small building blocks in the seed's look: pill buttons, sand panels, alerts, badges, progress. */
import { useEffect, useId, useRef, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError } from '../api';
import { Link } from '../lib/router';

type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

const buttonBase =
  'inline-flex items-center justify-center gap-2 rounded-full font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 min-h-11';
const buttonVariants: Record<ButtonVariant, string> = {
  primary: 'bg-ink text-white hover:bg-black px-6 py-3',
  secondary: 'border border-ink bg-white text-ink hover:bg-sand px-5 py-2.5',
  ghost: 'text-ink underline underline-offset-4 hover:bg-sand px-3 py-2',
  danger: 'border border-[#9b1c1c] bg-white text-[#9b1c1c] hover:bg-[#fdecea] px-5 py-2.5',
};

export function buttonClass(variant: ButtonVariant = 'primary', extra = ''): string {
  return `${buttonBase} ${buttonVariants[variant]} ${extra}`;
}

export function Button({ variant = 'primary', className = '', busy, children, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; busy?: boolean }) {
  return (
    <button type="button" className={buttonClass(variant, className)} aria-busy={busy || undefined} {...rest}>
      {busy && <Spinner />}
      {children}
    </button>
  );
}

export function ButtonLink({ to, variant = 'primary', className = '', children }: { to: string; variant?: ButtonVariant; className?: string; children: ReactNode }) {
  return (
    <Link to={to} className={buttonClass(variant, `no-underline ${className}`)}>
      {children}
    </Link>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="inline-flex items-center gap-2">
      <span aria-hidden="true" className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-current border-t-transparent" />
      {label && <span>{label}</span>}
    </span>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" className="py-6 text-quiet">
      <Spinner label={label} />
    </p>
  );
}

export function Panel({ children, className = '', as: Tag = 'div', ...rest }: { children: ReactNode; className?: string; as?: 'div' | 'section' | 'aside'; 'aria-labelledby'?: string; 'aria-label'?: string }) {
  return (
    <Tag className={`rounded-3xl bg-sand p-5 sm:p-6 ${className}`} {...rest}>
      {children}
    </Tag>
  );
}

export function Card({ children, className = '', as: Tag = 'div', ...rest }: { children: ReactNode; className?: string; as?: 'div' | 'article'; 'aria-labelledby'?: string }) {
  return (
    <Tag className={`rounded-3xl border border-sand-dark bg-white p-5 sm:p-6 ${className}`} {...rest}>
      {children}
    </Tag>
  );
}

type Tone = 'error' | 'success' | 'info' | 'warning';
const toneClass: Record<Tone, string> = {
  error: 'border-[#f1b5b5] bg-[#fdecea] text-[#7f1d1d]',
  success: 'border-[#a7d7b8] bg-[#e8f6ee] text-[#14532d]',
  info: 'border-sand-dark bg-sand text-ink',
  warning: 'border-[#f3cf8b] bg-[#fff6e5] text-[#6b3e00]',
};

/** A message box. Errors and warnings are announced (role=alert); others are polite status messages. */
export function Alert({ tone = 'info', title, children, className = '', focus }: { tone?: Tone; title?: ReactNode; children?: ReactNode; className?: string; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div ref={ref} tabIndex={focus ? -1 : undefined} role={tone === 'error' ? 'alert' : 'status'} className={`rounded-2xl border p-4 ${toneClass[tone]} ${className}`}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={title ? 'mt-1 text-sm' : 'text-sm'}>{children}</div>}
    </div>
  );
}

/** An API error as a person reads it: the server's message (it says what happened and what to do). */
export function ErrorAlert({ error, title, className = '' }: { error: unknown; title?: string; className?: string }) {
  if (!error) return null;
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  const problems = error instanceof ApiError ? mappingProblems(error) : [];
  return (
    <Alert tone="error" title={title ?? message} className={className}>
      {title && <p>{message}</p>}
      {problems.length > 0 && (
        <ul className="mt-2 list-disc pl-5">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

function mappingProblems(error: ApiError): string[] {
  const details = error.details as { problems?: Array<{ message?: string }>; issues?: Array<{ path?: string; message?: string }> } | undefined;
  if (details?.problems?.length) return details.problems.map((p) => p.message ?? '').filter((m) => m && m !== error.message);
  if (details?.issues?.length && details.issues.length > 1) return details.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message ?? ''}`);
  return [];
}

type BadgeTone = 'green' | 'amber' | 'red' | 'grey' | 'ink';
const badgeTone: Record<BadgeTone, string> = {
  green: 'bg-[#e1f3e8] text-[#14532d] border-[#a7d7b8]',
  amber: 'bg-[#fff1d6] text-[#6b3e00] border-[#f3cf8b]',
  red: 'bg-[#fde2e2] text-[#7f1d1d] border-[#f1b5b5]',
  grey: 'bg-white text-[#444] border-[#ccc]',
  ink: 'bg-ink text-white border-ink',
};

export function Badge({ tone = 'grey', children, className = '' }: { tone?: BadgeTone; children: ReactNode; className?: string }) {
  return <span className={`inline-flex items-center rounded-full border px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${badgeTone[tone]} ${className}`}>{children}</span>;
}

export function ProgressBar({ value, max, label, indeterminate }: { value: number; max: number; label: string; indeterminate?: boolean }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={indeterminate ? undefined : 100}
      aria-valuenow={indeterminate ? undefined : pct}
      aria-valuetext={indeterminate ? 'working' : `${pct}%`}
      className="h-3 w-full overflow-hidden rounded-full bg-white ring-1 ring-sand-dark"
    >
      <div className={`h-full rounded-full bg-ink transition-[width] duration-500 ${indeterminate ? 'w-1/3 animate-pulse' : ''}`} style={indeterminate ? undefined : { width: `${pct}%` }} />
    </div>
  );
}

export function TextField({ label, hint, error, className = '', ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string | null }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-quiet">
          {hint}
        </p>
      )}
      <input
        id={id}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        className="mt-1 block w-full rounded-xl border border-[#8a8a8a] bg-white px-3 py-2.5 text-base"
        {...rest}
      />
      {error && (
        <p id={errorId} className="mt-1 text-sm text-[#9b1c1c]">
          {error}
        </p>
      )}
    </div>
  );
}

/** The page's main heading: focused after client-side navigation so screen readers announce the new page. */
export function PageTitle({ children, subtitle }: { children: ReactNode; subtitle?: ReactNode }) {
  return (
    <header className="mb-6">
      <h1 tabIndex={-1} className="text-2xl font-semibold tracking-tight sm:text-3xl">
        {children}
      </h1>
      {subtitle && <p className="mt-1 text-quiet">{subtitle}</p>}
    </header>
  );
}

/** A disabled control's reason, readable by everyone (aria-describedby points here). */
export function DisabledReason({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="text-sm text-quiet">
      {children}
    </p>
  );
}

/** Text from the API where `backticks` mark field names: shown as code. */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-white px-1 font-mono text-[0.85em] text-ink ring-1 ring-sand-dark">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
