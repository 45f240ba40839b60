/**
 * The monday.com CrmApiClient. Each entity is a board: the one named in the connection's settings
 * (`syncSettings.boards = { contacts: "<boardId>", … }`) or else the board named like the sales-CRM template's
 * (definition.objects) in the account. Records are the board's items, read with `items_page` then
 * `next_items_page` in creation order (`order_by __creation_log__`), so a read can be resumed from its last item:
 * when monday's 60-minute cursor has expired, the query restarts filtered to items created on or after the last
 * one's day and skips exactly the items already returned. There is no bulk API: bulkFetchRecords pages at 500.
 * Every request goes through deps.http with its estimated complexity as weight (queries.ts); every response
 * body is checked inside the HTTP layer (errors[], truncation, shape), so a bad page is retried there.
 */
import { z } from 'zod';
import { ENTITY_TYPES, type EntityType } from '../../core/ids.js';
import { CrmError } from '../errors.js';
import type { BulkOptions, ClassifiedError, ClientDeps, CrmApiClient, FieldDescriptor, RecordBatch, RecordPage, SourceRecord } from '../types.js';
import { MONDAY_API_VERSION, MONDAY_MAX_PAGE, mondayDefinition } from './definition.js';
import { classifyGraphqlPayload } from './errors.js';
import {
  BoardColumnsData, BoardListData, CountData, FirstPageData, NextPageData, columnsToFields, itemToRecord, relationTargets,
  type BoardShape, type MondayBoardSummary, type MondayColumn, type MondayItem, type MondayItemsPage,
} from './parse.js';
import { BOARD_COLUMNS_QUERY, BOARD_LIST_QUERY, COUNT_QUERY, FIRST_PAGE_QUERY, NEXT_PAGE_QUERY, PING_QUERY, complexity } from './queries.js';

const LINK_OF: Partial<Record<EntityType, 'account' | 'contact' | 'deal'>> = { accounts: 'account', contacts: 'contact', deals: 'deal' };
const BOARD_PAGE = 100;

/** Our opaque, resumable cursor: monday's cursor plus the position it stands for. */
const CursorState = z.object({
  v: z.literal(1),
  /** Board id (a changed board mapping invalidates the cursor). */
  b: z.string(),
  /** monday's cursor; null only before the first page. */
  c: z.string().nullable(),
  /** created_at of the last item returned, and the ids returned with exactly that timestamp. */
  t: z.string().nullable(),
  i: z.array(z.string()),
  /** Records returned so far, and the board's items_count when the read started (bulk completeness check). */
  n: z.number().int().nonnegative(),
  s: z.number().int().nonnegative().nullable(),
  /** After a restart: still skipping items returned before it (the boundary day can span pages). */
  k: z.boolean(),
});
type CursorState = z.infer<typeof CursorState>;

function encodeCursor(s: CursorState): string {
  return Buffer.from(JSON.stringify(s)).toString('base64url');
}

function decodeCursor(token: string): CursorState {
  try {
    return CursorState.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch (err) {
    throw new CrmError('monday', { kind: 'invalid_request', code: 'INVALID_CURSOR', detail: 'this cursor was not issued by the monday client' }, undefined, { cause: err });
  }
}

const SyncSettings = z.object({ boards: z.partialRecord(z.enum(ENTITY_TYPES), z.union([z.string(), z.number()]).transform(String)).optional() }).loose();

interface Board {
  readonly id: string;
  readonly name: string;
  readonly columns: readonly MondayColumn[];
  /** Column values per item (every column but `name`): what complexity multiplies by. */
  readonly valueColumns: number;
  readonly shape: BoardShape;
}

/** created_at in whole seconds: the key items are ordered by (ties in one second keep their ids). */
function secondOf(createdAt: string): number {
  const t = Date.parse(createdAt);
  if (!Number.isFinite(t)) throw new CrmError('monday', { kind: 'temporary', code: 'MALFORMED_RESPONSE', detail: `item created_at "${createdAt}" is not a timestamp` });
  return Math.floor(t / 1000);
}

export class MondayClient implements CrmApiClient {
  #boardIds: Promise<Map<EntityType, string>> | undefined;
  readonly #boards = new Map<EntityType, Promise<Board>>();

  constructor(private readonly deps: ClientDeps) {}

  // ---------------------------------------------------------------- transport

  /** One GraphQL request: the body is parsed, checked for errors[] and validated inside the HTTP layer. */
  async #gql<T>(query: string, variables: Record<string, unknown>, schema: z.ZodType<T>, weight: number): Promise<T> {
    let data: T | undefined;
    await this.deps.http.request({
      method: 'POST',
      url: '/v2',
      headers: { 'api-version': MONDAY_API_VERSION },
      json: { query, variables },
      weight,
      idempotent: true, // queries only: safe to resend
      inspect: (_status, headers, body): ClassifiedError | null => {
        let payload: unknown;
        try {
          payload = JSON.parse(body);
        } catch {
          return { kind: 'temporary', code: 'MALFORMED_JSON', detail: `unparsable response body (${body.length} bytes): cut off?` };
        }
        const error = classifyGraphqlPayload(headers, payload);
        if (error) return error;
        const parsed = schema.safeParse((payload as { data?: unknown }).data);
        if (!parsed.success) return { kind: 'temporary', code: 'MALFORMED_RESPONSE', detail: z.prettifyError(parsed.error).slice(0, 500) };
        data = parsed.data;
        return null;
      },
    });
    if (data === undefined) throw new CrmError('monday', { kind: 'unknown', code: 'NO_DATA', detail: 'response accepted without data' });
    return data;
  }

  // ---------------------------------------------------------------- boards

  /** Which board holds each entity: the connection's settings first, else the board named like the template's. */
  #boardIdsOf(): Promise<Map<EntityType, string>> {
    this.#boardIds ??= (async () => {
      const settings = SyncSettings.safeParse(this.deps.connection.syncSettings ?? {});
      if (!settings.success) throw new CrmError('monday', { kind: 'invalid_request', code: 'INVALID_SETTINGS', detail: z.prettifyError(settings.error) });
      const chosen = settings.data.boards ?? {};
      const out = new Map<EntityType, string>();
      for (const e of ENTITY_TYPES) if (chosen[e]) out.set(e, chosen[e] as string);
      if (out.size === ENTITY_TYPES.length) return out;
      const all: MondayBoardSummary[] = [];
      for (let page = 1; ; page++) {
        const data = await this.#gql(BOARD_LIST_QUERY, { limit: BOARD_PAGE, page }, BoardListData, complexity.boardList(BOARD_PAGE));
        all.push(...data.boards);
        if (data.boards.length < BOARD_PAGE) break;
      }
      for (const e of ENTITY_TYPES) {
        if (out.has(e)) continue;
        const wanted = mondayDefinition.objects[e].toLowerCase();
        const matches = all.filter((b) => b.name.trim().toLowerCase() === wanted);
        // Several boards with the template's name: the one in a CRM workspace, else the user must choose.
        const inCrm = matches.filter((b) => /\bcrm\b/i.test(b.workspace?.name ?? ''));
        const pick = matches.length === 1 ? matches[0] : inCrm.length === 1 ? inCrm[0] : undefined;
        if (pick) out.set(e, pick.id);
        else if (matches.length > 1) out.set(e, `ambiguous:${matches.map((m) => m.id).join(',')}`);
      }
      return out;
    })().catch((err: unknown) => {
      this.#boardIds = undefined; // a failed discovery is retried on the next call
      throw err;
    });
    return this.#boardIds;
  }

  #board(entity: EntityType): Promise<Board> {
    let b = this.#boards.get(entity);
    if (!b) {
      b = this.#loadBoard(entity);
      this.#boards.set(entity, b);
      b.catch(() => this.#boards.delete(entity));
    }
    return b;
  }

  async #loadBoard(entity: EntityType): Promise<Board> {
    const ids = await this.#boardIdsOf();
    const id = ids.get(entity);
    const name = mondayDefinition.objects[entity];
    if (!id) throw new CrmError('monday', { kind: 'not_found', code: 'BOARD_NOT_FOUND', detail: `no board named "${name}"; choose the ${entity} board in the connection settings` });
    if (id.startsWith('ambiguous:')) {
      throw new CrmError('monday', { kind: 'invalid_request', code: 'AMBIGUOUS_BOARD', detail: `several boards are named "${name}" (${id.slice(10)}); choose the ${entity} board in the connection settings` });
    }
    const data = await this.#gql(BOARD_COLUMNS_QUERY, { board: [id] }, BoardColumnsData, complexity.boardColumns());
    const board = data.boards.find((b) => b.id === id);
    if (!board) throw new CrmError('monday', { kind: 'not_found', code: 'BOARD_NOT_FOUND', detail: `board ${id} (${entity}) does not exist or is not shared with this connection` });
    const entityOfBoard = new Map([...ids].map(([e, b]) => [b, e]));
    const links = new Map<string, 'account' | 'contact' | 'deal'>();
    for (const c of board.columns) {
      if (c.type !== 'board_relation') continue;
      for (const target of relationTargets(c)) {
        const link = LINK_OF[entityOfBoard.get(target) as EntityType];
        if (link && ![...links.values()].includes(link)) {
          links.set(c.id, link);
          break;
        }
      }
    }
    const owner = board.columns.find((c) => c.type === 'people') ?? null;
    const type = entity === 'activities' ? (board.columns.find((c) => c.type === 'status' && (c.id === 'activity_type' || /\btype\b/i.test(c.title))) ?? null) : null;
    return {
      id,
      name: board.name,
      columns: board.columns,
      valueColumns: board.columns.filter((c) => c.type !== 'name').length,
      shape: { entity, types: new Map(board.columns.map((c) => [c.id, c.type])), links, ownerColumn: owner?.id ?? null, typeColumn: type?.id ?? null },
    };
  }

  // ---------------------------------------------------------------- reads

  async getRecordCount(entity: EntityType): Promise<number> {
    const board = await this.#board(entity);
    return this.#count(board);
  }

  async #count(board: Board): Promise<number> {
    const data = await this.#gql(COUNT_QUERY, { board: [board.id] }, CountData, complexity.count());
    const b = data.boards.find((x) => x.id === board.id);
    if (!b) throw new CrmError('monday', { kind: 'not_found', code: 'BOARD_NOT_FOUND', detail: `board ${board.id} disappeared` });
    return b.items_count;
  }

  async fetchRecords(entity: EntityType, cursor: string | null, limit: number): Promise<RecordPage> {
    const board = await this.#board(entity);
    const state: CursorState = cursor ? decodeCursor(cursor) : { v: 1, b: board.id, c: null, t: null, i: [], n: 0, s: null, k: false };
    const { records, next } = await this.#page(board, state, Math.max(1, Math.min(MONDAY_MAX_PAGE, Math.floor(limit))));
    return { records, nextCursor: next ? encodeCursor(next) : null };
  }

  async *bulkFetchRecords(entity: EntityType, options: BulkOptions = {}): AsyncIterable<RecordBatch> {
    const board = await this.#board(entity);
    let state: CursorState = options.resume ? decodeCursor(options.resume) : { v: 1, b: board.id, c: null, t: null, i: [], n: 0, s: null, k: false };
    if (state.s === null) state = { ...state, s: await this.#count(board) };
    let empty = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const { records, next } = await this.#page(board, state, MONDAY_MAX_PAGE);
      if (!next) {
        // Fewer records than the board held at the start and holds now means items went missing on the way.
        const end = await this.#count(board);
        const read = state.n + records.length;
        if (read < Math.min(state.s ?? 0, end)) {
          throw new CrmError('monday', { kind: 'temporary', code: 'INCOMPLETE_READ', detail: `read ${read} items of board ${board.id}, which held ${state.s} at the start and ${end} now` });
        }
        yield { records, resume: null };
        return;
      }
      empty = records.length === 0 ? empty + 1 : 0;
      if (empty > 3) throw new CrmError('monday', { kind: 'temporary', code: 'EMPTY_PAGES', detail: 'monday kept returning empty pages with a cursor' });
      state = next;
      yield { records, resume: encodeCursor(next) };
    }
  }

  /** One page after `state`, the state after it (null: the board is exhausted). */
  async #page(board: Board, state: CursorState, limit: number): Promise<{ records: SourceRecord[]; next: CursorState | null }> {
    if (state.b !== board.id) {
      throw new CrmError('monday', { kind: 'invalid_request', code: 'BOARD_CHANGED', detail: `the cursor belongs to board ${state.b}, the entity now maps to ${board.id}` });
    }
    let page: MondayItemsPage;
    let restarted = false;
    if (state.c === null) {
      page = await this.#firstPage(board, limit, state.t);
      restarted = state.t !== null;
    } else {
      try {
        page = (await this.#gql(NEXT_PAGE_QUERY, { cursor: state.c, limit }, NextPageData, complexity.nextPage(limit, board.valueColumns))).next_items_page;
      } catch (err) {
        if (!(err instanceof CrmError && err.code === 'CursorExpiredError')) throw err;
        // monday cursors live 60 minutes: start again from the last item's day and skip what was returned.
        page = await this.#firstPage(board, limit, state.t);
        restarted = true;
      }
    }
    return this.#accept(board, state, page, restarted);
  }

  async #firstPage(board: Board, limit: number, after: string | null): Promise<MondayItemsPage> {
    const params: Record<string, unknown> = { order_by: [{ column_id: '__creation_log__', direction: 'asc' }] };
    if (after !== null) {
      // Day granularity on monday's side: items of that day that were already returned are skipped in #accept.
      params.rules = [{ column_id: '__creation_log__', compare_value: ['EXACT', after.slice(0, 10)], operator: 'greater_than_or_equals' }];
    }
    const data = await this.#gql(FIRST_PAGE_QUERY, { board: [board.id], limit, params }, FirstPageData, complexity.firstPage(limit, board.valueColumns));
    const b = data.boards[0];
    if (!b || data.boards.length !== 1) throw new CrmError('monday', { kind: 'not_found', code: 'BOARD_NOT_FOUND', detail: `board ${board.id} returned no items_page` });
    return b.items_page;
  }

  /**
   * Checks a page against the read so far and turns it into records. Items come in creation order; one that
   * goes back in time or repeats an id is a broken page (fail loudly) — except right after a restart, where
   * the already-returned items of the boundary day are expected and skipped.
   */
  #accept(board: Board, state: CursorState, page: MondayItemsPage, restarted: boolean): { records: SourceRecord[]; next: CursorState | null } {
    let lastSec = state.t === null ? -Infinity : secondOf(state.t);
    let lastT = state.t;
    let ids = new Set(state.i);
    const records: SourceRecord[] = [];
    const kept: MondayItem[] = [];
    const skipping = restarted || state.k;
    for (const item of page.items) {
      const sec = secondOf(item.created_at);
      const seen = sec < lastSec || (sec === lastSec && ids.has(item.id));
      if (seen) {
        if (skipping && kept.length === 0) continue;
        throw new CrmError('monday', { kind: 'temporary', code: 'PAGE_OUT_OF_ORDER', detail: `item ${item.id} (created ${item.created_at}) arrived after ${lastT}; the page is inconsistent` });
      }
      if (sec > lastSec) {
        lastSec = sec;
        lastT = item.created_at;
        ids = new Set();
      }
      ids.add(item.id);
      kept.push(item);
      records.push(itemToRecord(item, board.shape));
    }
    const next: CursorState = { v: 1, b: board.id, c: page.cursor, t: lastT, i: [...ids], n: state.n + records.length, s: state.s, k: skipping && kept.length === 0 };
    return { records, next: page.cursor === null ? null : next };
  }

  // ---------------------------------------------------------------- connection and metadata

  async testConnection(): Promise<{ isValid: boolean; error?: string }> {
    try {
      await this.#gql(PING_QUERY, {}, z.object({ me: z.object({ id: z.union([z.string(), z.number()]) }) }), complexity.ping());
      return { isValid: true };
    } catch (err) {
      return { isValid: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async describeFields(entity: EntityType): Promise<FieldDescriptor[]> {
    const board = await this.#board(entity);
    return columnsToFields(board.columns);
  }
}
