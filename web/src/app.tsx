/** Routes: the public sign-up and sign-in pages, and the dashboard pages behind the session. */
import { useEffect, type ReactNode } from 'react';
import { Layout } from './components/layout';
import { Alert, Loading, PageTitle } from './components/ui';
import { LoginPage, SignupPage } from './pages/auth-pages';
import { ConnectionsPage } from './pages/connections-page';
import { MigrationDetailPage, MigrationsPage } from './pages/migrations-pages';
import { RecordDetailPage, RecordsPage } from './pages/records-pages';
import { MigrationWizardPage } from './wizard/wizard-page';
import { isEntityType } from './lib/crms';
import { Link, matchPath, navigate, useLocation } from './lib/router';
import { SessionProvider, useSession } from './lib/session';

const TITLES: Array<[string, string]> = [
  ['/signup', 'Create your account'],
  ['/login', 'Sign in'],
  ['/dashboard/settings/migration', 'Migrate data'],
  ['/dashboard/settings/connections', 'Connections'],
  ['/dashboard/migrations/:id', 'Migration'],
  ['/dashboard/migrations', 'Migrations'],
  ['/dashboard/records/:entityType/:id', 'Record'],
  ['/dashboard/records/:entityType', 'Records'],
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Dashboard({ pathname }: { pathname: string }): ReactNode {
  if (pathname === '/dashboard' || pathname === '/dashboard/settings') return <Redirect to="/dashboard/settings/migration" />;
  if (matchPath('/dashboard/settings/migration', pathname)) return <MigrationWizardPage />;
  if (matchPath('/dashboard/settings/connections', pathname)) return <ConnectionsPage />;
  if (matchPath('/dashboard/migrations', pathname)) return <MigrationsPage />;
  let m = matchPath('/dashboard/migrations/:id', pathname);
  if (m) return <MigrationDetailPage key={m.id} id={m.id!} />;
  m = matchPath('/dashboard/records/:entityType', pathname);
  if (m && isEntityType(m.entityType)) return <RecordsPage key={m.entityType} entityType={m.entityType} />;
  m = matchPath('/dashboard/records/:entityType/:id', pathname);
  if (m && isEntityType(m.entityType)) return <RecordDetailPage key={m.id} entityType={m.entityType} id={m.id!} />;
  return <NotFound />;
}

function NotFound() {
  return (
    <>
      <PageTitle>Page not found</PageTitle>
      <p>
        There is no page at this address. <Link to="/dashboard/settings/migration" className="underline">Go to the migration wizard</Link>.
      </p>
    </>
  );
}

function Routes() {
  const { state } = useSession();
  const { pathname, href } = useLocation();

  useEffect(() => {
    const title = TITLES.find(([pattern]) => matchPath(pattern, pathname))?.[1];
    document.title = title ? `${title} · crm-migrate` : 'crm-migrate';
  }, [pathname]);

  if (state.status === 'loading') {
    return (
      <main className="mx-auto max-w-md p-8">
        <h1 className="sr-only">crm-migrate</h1>
        <Loading />
      </main>
    );
  }
  if (state.status === 'error') {
    return (
      <main className="mx-auto max-w-md p-8">
        <h1 className="mb-4 text-2xl font-semibold">crm-migrate is not reachable</h1>
        <Alert tone="error" title="The server did not answer">
          {state.error} Reload the page in a moment.
        </Alert>
      </main>
    );
  }
  const signedIn = state.status === 'signed-in';
  if (pathname === '/signup') return signedIn ? <Redirect to="/dashboard/settings/migration" /> : <SignupPage />;
  if (pathname === '/login') return signedIn ? <Redirect to="/dashboard/settings/migration" /> : <LoginPage />;
  if (!signedIn) return <Redirect to={pathname === '/' ? '/login' : `/login?next=${encodeURIComponent(href)}`} />;
  if (pathname === '/') return <Redirect to="/dashboard/settings/migration" />;
  return <Layout>{pathname.startsWith('/dashboard') ? <Dashboard pathname={pathname} /> : <NotFound />}</Layout>;
}

export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}
