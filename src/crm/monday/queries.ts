/**
 * The GraphQL documents the client sends and the complexity each costs, estimated before sending so the rate
 * budget spends what monday will charge (its complexity window is the binding limit). The formula mirrors
 * sandbox/monday/schema.ts (monday prices a query by what it could return: every field 1, a list its base plus
 * n × one element, n = the requested limit or the board's column count); test/crm/monday-client.test.ts checks
 * the estimates against the sandbox's `complexity { query }`.
 */

/**
 * An item: its display `text` for every column, and the raw `value` only where text is not enough (people ids
 * for the owner, full ISO dates, link URLs) — about half the bytes of asking `value` everywhere. No per-value
 * `type` (the board's columns give it) and no `state` (items_page returns active items): every field asked is
 * paid for in complexity on every item, and complexity is what bounds a monday import.
 */
const ITEM_FIELDS = 'id name created_at updated_at group { title } column_values { id text ... on BoardRelationValue { linked_item_ids } ... on PeopleValue { value } ... on DateValue { value } ... on LinkValue { value } }';

export const FIRST_PAGE_QUERY = `query mondayFirstPage($board: [ID!], $limit: Int!, $params: ItemsQuery) {
  boards(ids: $board) { items_page(limit: $limit, query_params: $params) { cursor items { ...CrmItem } } }
}
fragment CrmItem on Item { ${ITEM_FIELDS} }`;

export const NEXT_PAGE_QUERY = `query mondayNextPage($cursor: String!, $limit: Int!) {
  next_items_page(cursor: $cursor, limit: $limit) { cursor items { ...CrmItem } }
}
fragment CrmItem on Item { ${ITEM_FIELDS} }`;

export const COUNT_QUERY = 'query mondayCount($board: [ID!]) { boards(ids: $board) { id items_count } }';

export const BOARD_LIST_QUERY = 'query mondayBoards($limit: Int!, $page: Int!) { boards(limit: $limit, page: $page, state: active) { id name workspace { id name } } }';

export const BOARD_COLUMNS_QUERY = 'query mondayColumns($board: [ID!]) { boards(ids: $board) { id name columns { id title type settings_str } } }';

export const ME_QUERY = 'query mondayMe { me { id name email account { id name slug } } }';

export const PING_QUERY = 'query mondayPing { me { id } }';

/** One item: 4 scalars + group{title} (2) + column_values (1 + C × 3: id, text, one fragment field). */
const itemCost = (columns: number) => 7 + 3 * columns;

export const complexity = {
  /** boards(ids:[b]) 10 + items_page 10 + cursor 1 + limit × item. */
  firstPage: (limit: number, columns: number) => 21 + limit * itemCost(columns),
  /** next_items_page 10 + cursor 1 + limit × item. */
  nextPage: (limit: number, columns: number) => 11 + limit * itemCost(columns),
  /** boards 10 + id 1 + items_count (a flat 1,000: monday calls it expensive). */
  count: () => 1_011,
  /** boards 10 + limit × (id, name, workspace{id name}). */
  boardList: (limit: number) => 10 + limit * 5,
  /** boards 10 + id + name + columns (1 + (C + 1) × 4); the column count is unknown before asking, so an upper bound. */
  boardColumns: (maxColumns = 200) => 13 + (maxColumns + 1) * 4,
  me: () => 8,
  ping: () => 2,
};
