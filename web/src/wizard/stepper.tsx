/** Where the wizard is: the five steps, done ones clickable to go back. */
import { STEPS, type StepId } from './state';

export function Stepper({ current, onGo }: { current: StepId; onGo(step: StepId): void }) {
  const index = current === 'run' ? STEPS.length : STEPS.findIndex((s) => s.id === current);
  return (
    <nav aria-label="Migration steps" className="mb-6">
      <ol className="flex flex-wrap gap-2">
        {STEPS.map((step, i) => {
          const done = i < index;
          const here = i === index;
          const label = (
            <>
              <span aria-hidden="true" className={`inline-flex h-6 w-6 items-center justify-center rounded-full text-xs font-semibold ${here || done ? 'bg-ink text-white' : 'bg-white text-ink ring-1 ring-[#8a8a8a]'}`}>
                {done ? '✓' : i + 1}
              </span>
              <span>{step.label}</span>
              {done && <span className="sr-only"> (done)</span>}
            </>
          );
          return (
            <li key={step.id}>
              {done && current !== 'run' ? (
                <button type="button" onClick={() => onGo(step.id)} className="inline-flex min-h-11 items-center gap-2 rounded-full px-3 py-1.5 text-sm hover:bg-sand">
                  {label}
                </button>
              ) : (
                <span aria-current={here ? 'step' : undefined} className={`inline-flex min-h-11 items-center gap-2 rounded-full px-3 py-1.5 text-sm ${here ? 'bg-sand font-semibold' : 'text-quiet'}`}>
                  {label}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
