/**
 * Column values the way monday.com returns them: `text` is the display text, `value` the raw JSON (serialised
 * to a string by the API, null when the cell is empty), and typed fields (`... on EmailValue { email }`) per
 * implementation type. Shapes follow the column-types reference
 * (https://developer.monday.com/api-reference/reference/column-types-reference) and the fact sheet's record shape.
 */
import { isoDate } from '../common/index.js';
import { userId } from './ids.js';

/**
 * One rendered cell. Typed fragment fields (`... on EmailValue { email }`) are derived from `json` when asked
 * (schema.ts), except board_relation's, which the product reads on every item and are kept in `fields` (a
 * function there is evaluated only when selected).
 */
export interface Cell {
  readonly text: string | null;
  /** The `value` field: the raw value already serialised to JSON (built as a string: this is the hot path). */
  readonly json: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

const q = JSON.stringify as (s: string) => string;

/** Timestamps in the API: ISO-8601 UTC without milliseconds ("2024-03-01T09:00:00Z"). */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export const cells = {
  text(s: string | null | undefined): Cell | null {
    return s ? { text: s, json: q(s) } : null;
  },
  longText(s: string, changedAt: string): Cell | null {
    return s ? { text: s, json: `{"text":${q(s)},"changed_at":"${changedAt}"}` } : null;
  },
  email(e: string, changedAt: string): Cell | null {
    return e ? { text: e, json: `{"email":${q(e)},"text":${q(e)},"changed_at":"${changedAt}"}` } : null;
  },
  phone(p: string, countryCode: string, changedAt: string): Cell | null {
    if (!p) return null;
    return { text: p, json: `{"phone":${q(p)},"countryShortName":"${countryCode}","changed_at":"${changedAt}"}` };
  },
  link(url: string, label: string, changedAt: string): Cell | null {
    if (!url) return null;
    return { text: label && label !== url ? `${label} - ${url}` : url, json: `{"url":${q(url)},"text":${q(label)},"changed_at":"${changedAt}"}` };
  },
  /** Numbers are stored as a JSON string of the number ("\"5000\""). */
  numbers(n: number | null): Cell | null {
    return n === null ? null : { text: String(n), json: `"${n}"` };
  },
  date(ms: number | null, withTime: boolean, changedAt: string): Cell | null {
    if (ms === null) return null;
    const date = isoDate(ms);
    const time = withTime ? new Date(ms).toISOString().slice(11, 19) : null;
    return {
      text: time ? `${date} ${time.slice(0, 5)}` : date,
      json: time ? `{"date":"${date}","time":"${time}","changed_at":"${changedAt}"}` : `{"date":"${date}","icon":null,"changed_at":"${changedAt}"}`,
    };
  },
  status(labels: readonly string[], label: string | null | undefined, changedAt: string): Cell | null {
    if (!label) return null;
    const index = labels.indexOf(label);
    if (index < 0) throw new Error(`status label "${label}" is not one of ${labels.join(', ')}`);
    return { text: label, json: `{"index":${index},"post_id":null,"changed_at":"${changedAt}"}` };
  },
  /** An unchecked checkbox is an empty cell in monday. */
  checkbox(checked: boolean, changedAt: string): Cell | null {
    return checked ? { text: 'v', json: `{"checked":"true","changed_at":"${changedAt}"}` } : null;
  },
  dropdown(options: readonly string[], chosen: readonly string[], changedAt: string): Cell | null {
    if (chosen.length === 0) return null;
    const ids = chosen.map((c) => options.indexOf(c) + 1);
    return { text: chosen.join(', '), json: `{"ids":[${ids.join(',')}],"changed_at":"${changedAt}"}` };
  },
  country(code: string, name: string, changedAt: string): Cell | null {
    return code ? { text: name, json: `{"countryCode":"${code}","countryName":${q(name)},"changed_at":"${changedAt}"}` } : null;
  },
  location(parts: { street: string; city: string; state: string; postalCode: string; country: string; countryCode: string }, changedAt: string): Cell | null {
    const address = [parts.street, parts.city, [parts.state, parts.postalCode].filter(Boolean).join(' '), parts.country].filter(Boolean).join(', ');
    if (!address) return null;
    return {
      text: address,
      json: JSON.stringify({
        lat: null, lng: null, address, placeId: null,
        city: { long_name: parts.city, short_name: parts.city },
        country: { long_name: parts.country, short_name: parts.countryCode },
        changed_at: changedAt,
      }),
    };
  },
  people(ownerIndex: number, ownerName: string, changedAt: string): Cell {
    const id = Number(userId(ownerIndex));
    return { text: ownerName, json: `{"personsAndTeams":[{"id":${id},"kind":"person"}],"changed_at":"${changedAt}"}` };
  },
  /**
   * board_relation ("Connect boards"). Its `text` is null: in current API versions connected items are read
   * through the BoardRelationValue fragment (`linked_item_ids`, `display_value`) [unverified, fact sheet §5];
   * `value` keeps the legacy linkedPulseIds shape. `displayName` is lazy: it needs the linked record.
   */
  boardRelation(linkedId: string | null, displayName: () => string, changedAt: string): Cell | null {
    if (linkedId === null) return null;
    return {
      text: null,
      json: `{"linkedPulseIds":[{"linkedPulseId":${linkedId}}],"changed_at":"${changedAt}"}`,
      fields: { linked_item_ids: [linkedId], display_value: displayName },
    };
  },
};

/** What the typed fragment fields are for an empty cell of each type (so `linked_item_ids` is [] rather than null). */
export const EMPTY_FIELDS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  board_relation: { linked_item_ids: [], display_value: '' },
  people: { persons_and_teams: [] },
  checkbox: { checked: false },
  dropdown: { values: [] },
};

type Raw = Record<string, unknown> & { changed_at?: string };

/** Typed fragment fields of a non-empty cell, from its value (`labels`: the column's status/dropdown labels). */
export function typedFields(type: string, cell: Cell, settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const v = JSON.parse(cell.json) as Raw;
  switch (type) {
    case 'email':
      return { email: v.email, label: v.text };
    case 'phone':
      return { phone: v.phone, country_short_name: v.countryShortName };
    case 'link':
      return { url: v.url, url_text: v.text };
    case 'date':
      return { date: v.date, time: v.time ?? null };
    case 'numbers':
      return { number: Number(cell.text), symbol: (settings.unit as { symbol?: string } | undefined)?.symbol ?? null, direction: (settings.unit as { direction?: string } | undefined)?.direction ?? null };
    case 'status': {
      const done = (settings.done_colors as number[] | undefined) ?? [];
      return { index: v.index, label: cell.text, is_done: done.includes(v.index as number) };
    }
    case 'checkbox':
      return { checked: true };
    case 'dropdown': {
      const labels = (settings.labels as { id: number; name: string }[] | undefined) ?? [];
      return { values: (v.ids as number[]).map((id) => ({ id: String(id), label: labels.find((l) => l.id === id)?.name ?? '' })) };
    }
    case 'country':
      return { country: { code: v.countryCode, name: v.countryName } };
    case 'location': {
      const city = v.city as { long_name: string } | undefined;
      const country = v.country as { long_name: string; short_name: string } | undefined;
      return { address: v.address, city: city?.long_name ?? null, country: country?.long_name ?? null, country_short: country?.short_name ?? null };
    }
    case 'people':
      return { persons_and_teams: (v.personsAndTeams as { id: number; kind: string }[]).map((p) => ({ id: String(p.id), kind: p.kind })) };
    default:
      return {};
  }
}
