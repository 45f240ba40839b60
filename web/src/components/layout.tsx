/** The signed-in frame: skip link, header with the organization and the user, navigation, sign-out. */
import { useEffect, useRef, type ReactNode } from 'react';
import { ROLE_NAMES } from '../lib/messages';
import { Link, navigate, useLocation } from '../lib/router';
import { useMe, useSession } from '../lib/session';

const NAV = [
  { to: '/dashboard/settings/migration', label: 'Migrate data', match: '/dashboard/settings/migration' },
  { to: '/dashboard/settings/connections', label: 'Connections', match: '/dashboard/settings/connections' },
  { to: '/dashboard/migrations', label: 'Migrations', match: '/dashboard/migrations' },
  { to: '/dashboard/records/contacts', label: 'Records', match: '/dashboard/records' },
];

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut } = useSession();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After client-side navigation, move focus to the new page's heading (screen readers announce it).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = mainRef.current?.querySelector<HTMLElement>('h1');
    h1?.focus({ preventScroll: false });
  }, [pathname]);

  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only-focusable absolute top-2 left-2 z-50 rounded-full bg-ink px-4 py-2 text-white">
        Skip to main content
      </a>
      <header className="border-b border-sand-dark bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex flex-wrap items-baseline gap-x-3">
            <Link to="/dashboard/settings/migration" className="text-lg font-semibold text-ink no-underline">
              crm-migrate
            </Link>
            <span className="text-quiet" aria-label={`Organization: ${me.organization.name}`}>
              {me.organization.name}
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span>
              <span className="sr-only">Signed in as </span>
              {me.user.email} <span className="text-quiet">({ROLE_NAMES[me.role] ?? me.role})</span>
            </span>
            <button
              type="button"
              className="min-h-11 rounded-full border border-ink px-4 py-1.5 hover:bg-sand"
              onClick={async () => {
                await signOut();
                navigate('/login', { replace: true });
              }}
            >
              Sign out
            </button>
          </div>
        </div>
        <nav aria-label="Main" className="mx-auto max-w-6xl px-4">
          <ul className="flex flex-wrap gap-1 pb-2">
            {NAV.map((item) => {
              const current = pathname === item.match || pathname.startsWith(`${item.match}/`);
              return (
                <li key={item.to}>
                  <Link
                    to={item.to}
                    aria-current={current ? 'page' : undefined}
                    className={`inline-flex min-h-11 items-center rounded-full px-4 py-2 no-underline ${current ? 'bg-ink text-white' : 'text-ink hover:bg-sand'}`}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
