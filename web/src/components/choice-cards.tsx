/** A radio group drawn as cards: each option a label with a title and a description (aria-describedby). */
import { useId, type ReactNode } from 'react';

export interface Choice<T extends string> {
  value: T;
  title: string;
  icon?: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
  disabled?: boolean;
}

export function ChoiceCards<T extends string>({
  legend,
  hideLegend,
  name,
  choices,
  value,
  onChange,
  columns = 'sm:grid-cols-2 lg:grid-cols-3',
}: {
  legend: string;
  hideLegend?: boolean;
  name: string;
  choices: ReadonlyArray<Choice<T>>;
  value: T | null;
  onChange(value: T): void;
  columns?: string;
}) {
  const id = useId();
  return (
    <fieldset>
      <legend className={hideLegend ? 'sr-only' : 'mb-3 font-medium'}>{legend}</legend>
      <div className={`grid grid-cols-1 gap-3 ${columns}`}>
        {choices.map((c) => {
          const inputId = `${id}-${c.value}`;
          const descId = c.description ? `${inputId}-desc` : undefined;
          const checked = value === c.value;
          return (
            <div key={c.value} className={`relative rounded-3xl border-2 p-4 transition-colors ${checked ? 'border-ink bg-sand' : 'border-sand-dark bg-white hover:border-[#8a8a8a]'} ${c.disabled ? 'opacity-60' : ''}`}>
              <div className="flex items-start gap-3">
                <input
                  id={inputId}
                  type="radio"
                  name={name}
                  value={c.value}
                  checked={checked}
                  disabled={c.disabled}
                  aria-describedby={descId}
                  onChange={() => onChange(c.value)}
                  className="relative z-10 mt-1 h-5 w-5 shrink-0 accent-[#1a1a1a]"
                />
                <div className="min-w-0">
                  <label htmlFor={inputId} className="block cursor-pointer font-semibold after:absolute after:inset-0 after:content-['']">
                    {c.icon}
                    {c.title}
                  </label>
                  {c.description && (
                    <div id={descId} className="mt-1 text-sm text-quiet">
                      {c.description}
                    </div>
                  )}
                </div>
              </div>
              {c.extra && <div className="relative z-10 mt-3">{c.extra}</div>}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
