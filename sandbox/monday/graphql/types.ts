/**
 * The schema description the sandbox's GraphQL executor runs on: object and interface types with typed fields,
 * arguments and a complexity rule per list field. Parsing is graphql-js (`graphql`, already installed with the
 * monday SDK); validation, complexity and execution are ours (executor.ts), so errors read like monday's
 * (graphql-ruby) and the hot path (500 items × every column) stays cheap.
 */
import type { FieldNode } from 'graphql';

export type Args = Record<string, unknown>;

/** What a list field multiplies its children by, plus a fixed cost for the field itself. */
export interface ListCost {
  readonly base: number;
  readonly multiplier: number;
}

/** Facts a complexity rule may read (e.g. how many columns the boards in the query have). */
export interface CostEnv {
  /** Column values per item on the board(s) the query reads (the widest board). */
  readonly columns: number;
  readonly groups: number;
  readonly users: number;
  /** The `limit` of the enclosing items_page / next_items_page (what `items` multiplies by). */
  readonly page: number;
}

export interface ArgDef {
  /** 'ID' | 'Int' | 'String' | 'Boolean' | 'JSON' (input objects and enums are passed through). */
  readonly type: 'ID' | 'Int' | 'String' | 'Boolean' | 'JSON';
  readonly list?: boolean;
  readonly required?: boolean;
}

export interface FieldDef<C> {
  /** Named output type: a scalar ('ID', 'String', 'Int', 'Boolean', 'JSON', 'Date' …) or an object/interface type. */
  readonly type: string;
  readonly list?: boolean;
  readonly args?: Readonly<Record<string, ArgDef>>;
  /** Default: `parent[field]` (a function value is called: lazy fields). */
  readonly resolve?: (parent: never, args: Args, ctx: C, node: FieldNode) => unknown;
  /** Cost of a list field (scalars and single objects cost 1 + their children). */
  readonly cost?: (args: Args, env: CostEnv) => ListCost;
  /** A fixed cost replacing the default (e.g. items_count, complexity). */
  readonly fixedCost?: number;
  /** Facts this field establishes for its children's costs (items_page sets `page`). */
  readonly childEnv?: (args: Args, env: CostEnv) => CostEnv;
}

export interface ObjectTypeDef<C> {
  readonly kind: 'object';
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldDef<C>>>;
  readonly interfaces?: readonly string[];
}

export interface InterfaceTypeDef<C> {
  readonly kind: 'interface';
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldDef<C>>>;
  /** The concrete type of a value. */
  readonly resolveType: (value: never) => string;
}

export type TypeDef<C> = ObjectTypeDef<C> | InterfaceTypeDef<C>;

export interface Schema<C> {
  readonly query: string;
  readonly types: ReadonlyMap<string, TypeDef<C>>;
  readonly scalars: ReadonlySet<string>;
}

/** An error a resolver raises: rendered as one `errors[]` entry (monday's shape) and the field becomes null. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/** One entry of a GraphQL response's `errors`. */
export interface GraphqlErrorEntry {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}
