/** Sign up (creates the organization; you become its owner) and sign in. */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Button, ErrorAlert, TextField } from '../components/ui';
import { Link, navigate, useLocation } from '../lib/router';
import { useSession } from '../lib/session';

function AuthFrame({ title, children, footer }: { title: string; children: React.ReactNode; footer: React.ReactNode }) {
  return (
    <div className="min-h-screen px-4 py-10">
      <main className="mx-auto max-w-md">
        <p className="mb-6 text-lg font-semibold">crm-migrate</p>
        <div className="rounded-3xl bg-sand p-6 sm:p-8">
          <h1 tabIndex={-1} className="text-2xl font-semibold">
            {title}
          </h1>
          {children}
        </div>
        <p className="mt-6 text-center">{footer}</p>
      </main>
    </div>
  );
}

/** Where to go after signing in: the `next` parameter when it is a path of this app, else the wizard. */
function nextPath(search: URLSearchParams): string {
  const next = search.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard/settings/migration';
}

function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') {
    const issues = (err.details as { issues?: Array<{ path?: string; message?: string }> } | undefined)?.issues ?? [];
    for (const i of issues) if (i.path && i.message) out[i.path.replace(/^body\.?/, '')] = i.message;
  }
  return out;
}

export function SignupPage() {
  const { signedIn } = useSession();
  const { search } = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await api.signup({
        organizationName: String(data.get('organizationName') ?? ''),
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
      });
      signedIn(session);
      navigate(nextPath(search), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const fields = fieldErrors(error);
  return (
    <AuthFrame
      title="Create your account"
      footer={
        <>
          Already have an account? <Link to="/login" className="underline">Sign in</Link>
        </>
      }
    >
      <p className="mt-1 text-quiet">Move your sales data out of your old CRM in a few minutes.</p>
      <form onSubmit={submit} className="mt-6 space-y-4" noValidate>
        {error !== null && <ErrorAlert error={error} title="Your account was not created" />}
        <TextField label="Company or team name" name="organizationName" autoComplete="organization" required error={fields.organizationName} />
        <TextField label="Work e-mail" name="email" type="email" autoComplete="email" required error={fields.email} />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." error={fields.password} />
        <Button type="submit" busy={busy} disabled={busy} className="w-full">
          Create account
        </Button>
      </form>
    </AuthFrame>
  );
}

export function LoginPage() {
  const { signedIn } = useSession();
  const { search } = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await api.login({ email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') });
      signedIn(session);
      navigate(nextPath(search), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <AuthFrame
      title="Sign in"
      footer={
        <>
          New here? <Link to="/signup" className="underline">Create an account</Link>
        </>
      }
    >
      <form onSubmit={submit} className="mt-6 space-y-4" noValidate>
        {error !== null && <ErrorAlert error={error} title="You are not signed in" />}
        <TextField label="E-mail" name="email" type="email" autoComplete="email" required />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <Button type="submit" busy={busy} disabled={busy} className="w-full">
          Sign in
        </Button>
      </form>
    </AuthFrame>
  );
}
