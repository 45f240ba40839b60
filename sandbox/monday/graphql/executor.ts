/**
 * A small GraphQL executor for the sandbox: graphql-js parses; this file picks the operation, validates it
 * against the schema table (unknown fields, arguments, fragment types, missing selections) with the error texts
 * and codes graphql-ruby (monday's server) uses, computes the query's complexity, and executes it with lazy
 * resolvers. Collected field lists are cached per selection set, so 500 items × 40 column values reuse one plan.
 */
import {
  Kind, parse, valueFromASTUntyped,
  type DirectiveNode, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { FieldError, type ArgDef, type Args, type CostEnv, type FieldDef, type GraphqlErrorEntry, type Schema, type TypeDef } from './types.js';

export interface PreparedOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

const documents = new Map<string, DocumentNode>();

/** Parses (cached by query text) and picks the operation; a syntax error comes back as monday's parse error. */
export function prepare(query: string, operationName?: string | null): PreparedOperation | { errors: GraphqlErrorEntry[] } {
  let document = documents.get(query);
  if (!document) {
    try {
      document = parse(query, { noLocation: false });
    } catch (err) {
      const e = err as { message: string; locations?: { line: number; column: number }[] };
      const at = e.locations?.[0];
      return { errors: [{ message: `Parse error on ${e.message.replace(/^Syntax Error: /, '')}${at ? ` at [${at.line}, ${at.column}]` : ''}`, locations: e.locations ?? [], extensions: { code: 'GraphQLParseError' } }] };
    }
    if (documents.size > 500) documents.clear();
    documents.set(query, document);
  }
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const operation = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
  if (!operation) {
    return { errors: [{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required when the document holds several operations', extensions: { code: 'OperationNameMissing' } }] };
  }
  if (operation.operation !== 'query') {
    // The sandbox is read-only: mutations exist in monday but the product never sends them.
    return { errors: [{ message: `The sandbox serves queries only; "${operation.operation}" is not supported`, extensions: { code: 'OperationNotSupported' } }] };
  }
  return { document, operation, fragments };
}

const loc = (node: { loc?: { startToken: { line: number; column: number } } }) =>
  node.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : [];

function typeLabel(def: FieldDef<unknown>): string {
  return def.list ? `[${def.type}]` : def.type;
}

function skipped(directives: readonly DirectiveNode[] | undefined, variables: Args): boolean {
  for (const d of directives ?? []) {
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    const on = arg ? Boolean(valueFromASTUntyped(arg.value, variables)) : true;
    if (d.name.value === 'skip' && on) return true;
    if (d.name.value === 'include' && !on) return true;
  }
  return false;
}

function coerce(name: string, field: string, def: ArgDef, raw: unknown): unknown {
  if (raw === undefined || raw === null) return raw;
  if (def.list) {
    const list = Array.isArray(raw) ? raw : [raw]; // GraphQL input coercion: a single value becomes a list
    return list.map((v) => coerce(name, field, { ...def, list: false }, v));
  }
  const bad = () => new FieldError(`Argument '${name}' on Field '${field}' has an invalid value (${JSON.stringify(raw)}). Expected type '${def.type}'.`, 'argumentLiteralsIncompatible', { typeName: 'Field', argumentName: name });
  switch (def.type) {
    case 'ID':
      if (typeof raw === 'string' || (typeof raw === 'number' && Number.isInteger(raw))) return String(raw);
      throw bad();
    case 'Int':
      if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
      throw bad();
    case 'String':
      if (typeof raw === 'string') return raw;
      throw bad();
    case 'Boolean':
      if (typeof raw === 'boolean') return raw;
      throw bad();
    default:
      return raw;
  }
}

/** The argument values of a field node (literals and variables), coerced to their declared types. */
export function argumentsOf(def: FieldDef<unknown>, node: FieldNode, variables: Args): Args {
  const out: Args = {};
  for (const a of node.arguments ?? []) {
    const spec = def.args?.[a.name.value];
    if (spec) out[a.name.value] = coerce(a.name.value, node.name.value, spec, valueFromASTUntyped(a.value, variables));
  }
  return out;
}

interface Analysis {
  readonly errors: GraphqlErrorEntry[];
  readonly complexity: number;
}

/**
 * Validates the operation and computes its complexity in one walk. Validation errors come back like
 * graphql-ruby's: `Field 'items' doesn't exist on type 'Board'`, path ["query", "boards", "items"],
 * extensions { code: "undefinedField", typeName, fieldName }.
 */
export function analyze<C>(schema: Schema<C>, op: PreparedOperation, variables: Args, env: (root: FieldNode, args: Args) => CostEnv): Analysis {
  const errors: GraphqlErrorEntry[] = [];
  const walk = (typeName: string, set: SelectionSetNode, path: string[], cenv: CostEnv, visited: Set<string>): number => {
    const type = schema.types.get(typeName) as TypeDef<C>;
    let total = 0;
    // On an interface, each element is one concrete type: fragments narrowing to a type count once, at the
    // most expensive type's cost, not summed over every type named.
    const narrowed = new Map<string, number>();
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name === '__typename') continue;
        const def = type.fields[name] as FieldDef<unknown> | undefined;
        const p = [...path, sel.alias?.value ?? name];
        if (!def) {
          errors.push({ message: `Field '${name}' doesn't exist on type '${typeName}'`, locations: loc(sel), path: p, extensions: { code: 'undefinedField', typeName, fieldName: name } });
          continue;
        }
        for (const a of sel.arguments ?? []) {
          if (!def.args?.[a.name.value]) {
            errors.push({ message: `Field '${name}' doesn't accept argument '${a.name.value}'`, locations: loc(a), path: [...p, a.name.value], extensions: { code: 'argumentNotAccepted', name, typeName: 'Field', argumentName: a.name.value } });
          }
        }
        const missing = Object.entries(def.args ?? {}).filter(([k, a]) => a.required && !sel.arguments?.some((x) => x.name.value === k)).map(([k]) => k);
        if (missing.length > 0) {
          errors.push({ message: `Field '${name}' is missing required arguments: ${missing.join(', ')}`, locations: loc(sel), path: p, extensions: { code: 'missingRequiredArguments', className: 'Field', name, arguments: missing.join(', ') } });
        }
        const composite = schema.types.has(def.type);
        if (composite && !sel.selectionSet) {
          errors.push({ message: `Field must have selections (field '${name}' returns ${typeLabel(def)} but has no selections. Did you mean '${name} { ... }'?)`, locations: loc(sel), path: p, extensions: { code: 'selectionMismatch', nodeName: `field '${name}'`, typeName: typeLabel(def) } });
          continue;
        }
        if (!composite && sel.selectionSet) {
          errors.push({ message: `Selections can't be made on scalars (field '${name}' returns ${def.type} but has selections [${sel.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '...')).join(', ')}])`, locations: loc(sel), path: p, extensions: { code: 'selectionMismatch', nodeName: `field '${name}'`, typeName: def.type } });
          continue;
        }
        if (def.fixedCost !== undefined) {
          total += def.fixedCost;
          continue;
        }
        let args: Args;
        try {
          args = argumentsOf(def, sel, variables);
        } catch (err) {
          if (!(err instanceof FieldError)) throw err;
          errors.push({ message: err.message, locations: loc(sel), path: p, extensions: { code: err.code, ...err.extensions } });
          continue;
        }
        const baseEnv = path.length === 1 ? env(sel, args) : cenv;
        const childEnv = def.childEnv ? def.childEnv(args, baseEnv) : baseEnv;
        const children = sel.selectionSet ? walk(def.type, sel.selectionSet, p, childEnv, visited) : 0;
        if (def.cost) {
          const c = def.cost(args, baseEnv);
          total += c.base + c.multiplier * children;
        } else {
          total += 1 + children;
        }
      } else {
        const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? op.fragments.get(sel.name.value) : sel;
        if (!fragment) {
          errors.push({ message: `Fragment ${sel.kind === Kind.FRAGMENT_SPREAD ? sel.name.value : ''} was used, but not defined`, locations: loc(sel), path, extensions: { code: 'useAndDefineFragment' } });
          continue;
        }
        const on = fragment.typeCondition?.name.value ?? typeName;
        const target = schema.types.get(on);
        if (!target) {
          errors.push({ message: `No such type ${on}, so it can't be a fragment condition`, locations: loc(sel), path, extensions: { code: 'undefinedType', typeName: on } });
          continue;
        }
        if (!possible(schema, typeName, on)) {
          errors.push({ message: `Fragment on ${on} can't be spread inside ${typeName}`, locations: loc(sel), path: [...path, `... on ${on}`], extensions: { code: 'cannotSpreadFragment', typeName: on, fragmentName: 'unknown', parentName: typeName } });
          continue;
        }
        const key = sel.kind === Kind.FRAGMENT_SPREAD ? sel.name.value : '';
        if (key && visited.has(key)) continue; // a fragment cycle: graphql-ruby reports it; we just stop
        const nextVisited = key ? new Set([...visited, key]) : visited;
        const cost = walk(on, fragment.selectionSet, [...path, `... on ${on}`], cenv, nextVisited);
        if (type.kind === 'interface' && on !== typeName) narrowed.set(on, (narrowed.get(on) ?? 0) + cost);
        else total += cost;
      }
    }
    return total + Math.max(0, ...narrowed.values());
  };
  const complexity = walk(schema.query, op.operation.selectionSet, ['query'], { columns: 0, groups: 0, users: 0, page: 25 }, new Set());
  return { errors, complexity };
}

function possible<C>(schema: Schema<C>, parent: string, condition: string): boolean {
  if (parent === condition) return true;
  const p = schema.types.get(parent);
  const c = schema.types.get(condition);
  if (!p || !c) return false;
  if (p.kind === 'interface' && c.kind === 'object') return c.interfaces?.includes(parent) ?? false;
  if (p.kind === 'object' && c.kind === 'interface') return p.interfaces?.includes(condition) ?? false;
  return false;
}

type Collected = Array<[string, FieldNode[]]>;

/** Fields to execute for a value of `runtime` type, grouped by response key (cached when there are no directives). */
function collect<C>(schema: Schema<C>, op: PreparedOperation, set: SelectionSetNode, runtime: string, variables: Args, cache: WeakMap<SelectionSetNode, Map<string, Collected>>): Collected {
  const byType = cache.get(set);
  const hit = byType?.get(runtime);
  if (hit) return hit;
  let cacheable = true;
  const out = new Map<string, FieldNode[]>();
  const visit = (s: SelectionSetNode) => {
    for (const sel of s.selections) {
      if (sel.directives?.length) cacheable = false;
      if (skipped(sel.directives, variables)) continue;
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const list = out.get(key);
        if (list) list.push(sel);
        else out.set(key, [sel]);
      } else {
        const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? op.fragments.get(sel.name.value) : sel;
        if (!fragment) continue;
        const on = fragment.typeCondition?.name.value ?? runtime;
        if (on === runtime || (schema.types.get(runtime)?.kind === 'object' && (schema.types.get(runtime) as { interfaces?: readonly string[] }).interfaces?.includes(on))) visit(fragment.selectionSet);
      }
    }
  };
  visit(set);
  const result = [...out];
  if (cacheable) {
    const m = byType ?? new Map<string, Collected>();
    m.set(runtime, result);
    if (!byType) cache.set(set, m);
  }
  return result;
}

const collectCache = new WeakMap<SelectionSetNode, Map<string, Collected>>();

/** One field of a compiled selection: what to resolve and how to write it. */
interface PlanEntry<C> {
  readonly key: string;
  readonly typename: boolean;
  readonly def: FieldDef<C>;
  readonly node: FieldNode;
  readonly hasArgs: boolean;
  /** Sub-selections for object and interface fields (several when the field is selected more than once). */
  readonly sets: SelectionSetNode[] | null;
  /** The field's type, for object and interface fields. */
  readonly child: TypeDef<C> | null;
  /** Compiled plans of the sub-selection per concrete type, filled on first use. */
  readonly plans: Map<string, PlanEntry<C>[]>;
}

const planCache = new WeakMap<SelectionSetNode, Map<string, PlanEntry<never>[]>>();
const NO_ARGS: Args = Object.freeze({}) as Args;

/**
 * Executes a validated operation with compiled selection plans (a page of 500 items × 40 column values is the
 * sandbox's hot path). Resolver FieldErrors become `errors[]` entries and null fields.
 */
export function execute<C>(schema: Schema<C>, op: PreparedOperation, variables: Args, ctx: C): { data: Record<string, unknown>; errors: GraphqlErrorEntry[] } {
  const errors: GraphqlErrorEntry[] = [];
  const argCache = new Map<FieldNode, Args>();

  /** The compiled plan, and whether it holds for every request (no @skip/@include that read variables). */
  const planOf = (sets: readonly SelectionSetNode[], type: TypeDef<C>, runtime: string, runtimeType: TypeDef<C>): { plan: PlanEntry<C>[]; reusable: boolean } => {
    const single = sets.length === 1 ? (sets[0] as SelectionSetNode) : null;
    const cached = single ? (planCache.get(single)?.get(runtime) as PlanEntry<C>[] | undefined) : undefined;
    if (cached) return { plan: cached, reusable: true };
    const merged = new Map<string, FieldNode[]>();
    let cacheable = true;
    for (const set of sets) {
      for (const [key, nodes] of collect(schema, op, set, runtime, variables, collectCache)) {
        if (nodes.some((n) => n.directives?.length)) cacheable = false;
        merged.set(key, [...(merged.get(key) ?? []), ...nodes]);
      }
      if (set.selections.some((x) => x.directives?.length)) cacheable = false;
    }
    const plan: PlanEntry<C>[] = [];
    for (const [key, nodes] of merged) {
      const node = nodes[0] as FieldNode;
      const name = node.name.value;
      const def = (runtimeType.fields[name] ?? type.fields[name]) as FieldDef<C>;
      const child = def ? (schema.types.get(def.type) ?? null) : null;
      plan.push({
        key, typename: name === '__typename', def, node,
        hasArgs: (node.arguments?.length ?? 0) > 0,
        sets: child ? nodes.map((n) => n.selectionSet as SelectionSetNode) : null,
        child, plans: new Map(),
      });
    }
    if (single && cacheable) {
      const m = planCache.get(single) ?? new Map<string, PlanEntry<never>[]>();
      m.set(runtime, plan as PlanEntry<never>[]);
      planCache.set(single, m);
    }
    return { plan, reusable: single !== null && cacheable };
  };

  // The response path of the field being resolved, as a stack (no allocation per field; copied on error).
  const path: (string | number)[] = [];
  const runObject = (type: TypeDef<C>, sets: readonly SelectionSetNode[], value: unknown, plans: Map<string, PlanEntry<C>[]> | null): Record<string, unknown> => {
    const runtime = type.kind === 'interface' ? type.resolveType(value as never) : type.name;
    let plan = plans?.get(runtime);
    if (!plan) {
      const compiled = planOf(sets, type, runtime, type.kind === 'interface' ? (schema.types.get(runtime) as TypeDef<C>) : type);
      plan = compiled.plan;
      if (compiled.reusable) plans?.set(runtime, plan);
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < plan.length; i++) {
      const e = plan[i] as PlanEntry<C>;
      if (e.typename) {
        out[e.key] = runtime;
        continue;
      }
      let v: unknown;
      try {
        let args = NO_ARGS;
        if (e.hasArgs) {
          args = argCache.get(e.node) as Args;
          if (!args) {
            args = argumentsOf(e.def as FieldDef<unknown>, e.node, variables);
            argCache.set(e.node, args);
          }
        }
        v = e.def.resolve ? e.def.resolve(value as never, args, ctx, e.node) : (value as Record<string, unknown>)[e.node.name.value];
        if (typeof v === 'function') v = (v as () => unknown)();
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        out[e.key] = null;
        errors.push({ message: err.message, locations: loc(e.node), path: [...path, e.key], extensions: { code: err.code, ...err.extensions } });
        continue;
      }
      if (v === null || v === undefined) out[e.key] = null;
      else if (e.child === null) out[e.key] = v;
      else {
        // The path is tracked only into objects (errors deeper down read it); scalars add their key on error.
        path.push(e.key);
        if (e.def.list) {
          const list = v as unknown[];
          const items = new Array<unknown>(list.length);
          for (let k = 0; k < list.length; k++) {
            const item = list[k];
            path.push(k);
            items[k] = item === null || item === undefined ? null : runObject(e.child, e.sets as SelectionSetNode[], item, e.plans);
            path.pop();
          }
          out[e.key] = items;
        } else {
          out[e.key] = runObject(e.child, e.sets as SelectionSetNode[], v, e.plans);
        }
        path.pop();
      }
    }
    return out;
  };

  const data = runObject(schema.types.get(schema.query) as TypeDef<C>, [op.operation.selectionSet], undefined, null);
  return { data, errors };
}
