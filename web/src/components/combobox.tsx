/**
 * A searchable select (WAI-ARIA 1.2 combobox with a listbox popup): type to filter, ArrowUp/ArrowDown to move,
 * Enter to choose, Escape to close and keep the current value. The input shows the chosen option when not typing.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';

export interface ComboOption {
  value: string;
  label: string;
  /** Shown under the label in the list (e.g. "required", "used by Email"). */
  hint?: string;
}

export interface ComboboxProps {
  label: string;
  /** Visually hide the label (it still names the input). */
  hideLabel?: boolean;
  options: readonly ComboOption[];
  value: string;
  onChange(value: string): void;
  disabled?: boolean;
  describedBy?: string;
  placeholder?: string;
}

export function Combobox({ label, hideLabel, options, value, onChange, disabled, describedBy, placeholder }: ComboboxProps) {
  const id = useId();
  const inputId = `${id}-input`;
  const listId = `${id}-list`;
  const selected = options.find((o) => o.value === value);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState<string | null>(null); // null: not typing, show the selection
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const filtered = useMemo(() => {
    const q = (query ?? '').trim().toLowerCase();
    if (!q) return options;
    return options.filter((o) => o.label.toLowerCase().includes(q) || o.value.toLowerCase().includes(q) || (o.hint ?? '').toLowerCase().includes(q));
  }, [options, query]);

  useEffect(() => {
    if (!open) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [active, open]);

  function openList() {
    setOpen(true);
    const i = filtered.findIndex((o) => o.value === value);
    setActive(i >= 0 ? i : 0);
  }

  function close() {
    setOpen(false);
    setQuery(null);
  }

  function choose(option: ComboOption | undefined) {
    if (option) onChange(option.value);
    close();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) openList();
        else setActive((a) => Math.min(filtered.length - 1, a + 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!open) openList();
        else setActive((a) => Math.max(0, a - 1));
        break;
      case 'Home':
        if (open) {
          e.preventDefault();
          setActive(0);
        }
        break;
      case 'End':
        if (open) {
          e.preventDefault();
          setActive(Math.max(0, filtered.length - 1));
        }
        break;
      case 'Enter':
        if (open) {
          e.preventDefault();
          choose(filtered[active]);
        }
        break;
      case 'Escape':
        if (open || query !== null) {
          e.preventDefault();
          close();
        }
        break;
      case 'Tab':
        close();
        break;
    }
  }

  const activeOption = open ? filtered[active] : undefined;
  return (
    <div className="relative">
      <label htmlFor={inputId} className={hideLabel ? 'sr-only' : 'mb-1 block text-sm font-medium'}>
        {label}
      </label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeOption ? `${id}-opt-${active}` : undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        placeholder={placeholder}
        value={query ?? selected?.label ?? ''}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={(e) => e.currentTarget.select()} // typing replaces the shown choice with a search
        onClick={() => (open ? undefined : openList())}
        onKeyDown={onKeyDown}
        onBlur={close}
        className="block w-full rounded-xl border border-[#8a8a8a] bg-white py-2 pr-9 pl-3 text-base disabled:bg-[#f3f3f3]"
      />
      <span aria-hidden="true" className="pointer-events-none absolute right-3 bottom-2.5 text-quiet">
        ▾
      </span>
      <ul
        ref={listRef}
        id={listId}
        role="listbox"
        aria-label={label}
        hidden={!open}
        className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-2xl border border-sand-dark bg-white py-1 shadow-lg"
      >
        {/* Options are rendered only while the list is open: a mapping step has dozens of these lists. */}
        {open && filtered.length === 0 && (
          <li role="option" aria-selected={false} aria-disabled="true" className="px-3 py-2 text-sm text-quiet">
            No field matches “{query}”
          </li>
        )}
        {open &&
          filtered.map((o, i) => (
          <li
            key={o.value}
            id={`${id}-opt-${i}`}
            data-index={i}
            role="option"
            aria-selected={o.value === value}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o)}
            onMouseMove={() => setActive(i)}
            className={`cursor-pointer px-3 py-2 ${i === active ? 'bg-sand' : ''} ${o.value === value ? 'font-semibold' : ''}`}
          >
            <span className="block">{o.label}</span>
            {o.hint && <span className="block text-xs text-quiet">{o.hint}</span>}
          </li>
          ))}
      </ul>
    </div>
  );
}
