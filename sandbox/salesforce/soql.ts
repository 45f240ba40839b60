/**
 * A small, honest SOQL parser for what clients send to the sandbox: SELECT of fields (with one level of parent
 * dot notation, e.g. Account.Name) or COUNT(), FROM one object, WHERE comparisons joined by AND (=, !=, <>, <, <=,
 * >, >=, LIKE, IN), ORDER BY, LIMIT, OFFSET. Parent-to-child subqueries, GROUP BY, TYPEOF and FIELDS() are
 * recognised and reported, so the REST and Bulk routes can reject them the way Salesforce does (or say the
 * sandbox does not support them). Pure: no knowledge of objects; validation happens in query.ts.
 * SOQL reference: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'date'; value: number; text: string };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN';

export interface Condition {
  /** Field path as written (`SystemModstamp`, `Account.Name`). */
  field: string;
  op: Operator;
  values: Literal[];
  column: number;
}

export interface SelectField {
  path: string;
  column: number;
}

export interface SoqlQuery {
  text: string;
  count: boolean;
  fields: SelectField[];
  object: string;
  objectColumn: number;
  where: Condition[];
  orderBy: { field: string; desc: boolean; column: number }[];
  limit: number | null;
  offset: number | null;
  /** Constructs Bulk API 2.0 rejects and this sandbox does not evaluate. */
  unsupported: ('subquery' | 'group_by' | 'typeof' | 'fields_function')[];
}

export class SoqlError extends Error {
  constructor(
    readonly code: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'NUMBER_OUTSIDE_VALID_RANGE',
    message: string,
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}

/** Salesforce's positioned message: the query, a caret, "ERROR at Row:1:Column:N", then the reason. */
export function positioned(text: string, column: number, reason: string): string {
  const line = text.replace(/\s+/g, ' ');
  return `\n${line}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:1:Column:${column}\n${reason}`;
}

type Tok = { t: 'ident' | 'num' | 'str' | 'op' | 'punct' | 'eof'; v: string; col: number; lit?: Literal };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const err = (col: number, reason: string) => new SoqlError('MALFORMED_QUERY', positioned(text, col, reason));
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) { i++; continue; }
    const col = i + 1;
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = DATETIME.exec(rest))) {
      const tz = m[2] as string;
      const iso = m[0].replace(tz, tz === 'Z' ? 'Z' : tz.includes(':') ? tz : `${tz.slice(0, 3)}:${tz.slice(3)}`);
      out.push({ t: 'num', v: m[0], col, lit: { kind: 'datetime', value: Date.parse(iso), text: m[0] } });
      i += m[0].length;
    } else if ((m = DATE.exec(rest))) {
      out.push({ t: 'num', v: m[0], col, lit: { kind: 'date', value: Date.parse(`${m[0]}T00:00:00Z`), text: m[0] } });
      i += m[0].length;
    } else if ((m = /^-?\d+(\.\d+)?/.exec(rest))) {
      out.push({ t: 'num', v: m[0], col, lit: { kind: 'number', value: Number(m[0]) } });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest)!;
      out.push({ t: 'ident', v: m[0], col });
      i += m[0].length;
    } else if (c === "'") {
      let s = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw err(col, 'unterminated string literal');
        const d = text[j] as string;
        if (d === '\\') {
          const e = text[j + 1];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : (e ?? '');
          j += 2;
        } else if (d === "'") {
          j++;
          break;
        } else {
          s += d;
          j++;
        }
      }
      out.push({ t: 'str', v: s, col, lit: { kind: 'string', value: s } });
      i = j;
    } else if ((m = /^(<=|>=|!=|<>|=|<|>)/.exec(rest))) {
      out.push({ t: 'op', v: m[0] === '<>' ? '!=' : m[0], col });
      i += m[0].length;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c, col });
      i++;
    } else {
      throw err(col, `unexpected token: '${c}'`);
    }
  }
  out.push({ t: 'eof', v: '<EOF>', col: text.length + 1 });
  return out;
}

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST', 'GROUP', 'HAVING', 'IN', 'LIKE', 'TYPEOF']);

export function parseSoql(text: string): SoqlQuery {
  const toks = tokenize(text);
  let p = 0;
  const peek = () => toks[p] as Tok;
  const next = () => toks[p++] as Tok;
  const kw = (word: string) => peek().t === 'ident' && peek().v.toUpperCase() === word;
  const fail = (tok: Tok, reason?: string): never => {
    throw new SoqlError('MALFORMED_QUERY', positioned(text, tok.col, reason ?? `unexpected token: '${tok.v}'`));
  };
  const expectKw = (word: string) => (kw(word) ? next() : fail(peek()));
  const ident = (): Tok => {
    const t = peek();
    if (t.t !== 'ident' || KEYWORDS.has(t.v.toUpperCase())) fail(t);
    return next();
  };

  const q: SoqlQuery = { text, count: false, fields: [], object: '', objectColumn: 0, where: [], orderBy: [], limit: null, offset: null, unsupported: [] };
  expectKw('SELECT');
  if (kw('COUNT') && toks[p + 1]?.v === '(') {
    next(); next();
    if (peek().v !== ')') fail(peek(), 'COUNT(field) is not supported by the Salesforce sandbox; use COUNT()');
    next();
    q.count = true;
  } else {
    for (;;) {
      if (peek().v === '(') {
        // Parent-to-child subquery: skip to its closing parenthesis.
        q.unsupported.push('subquery');
        let depth = 0;
        do {
          const t = next();
          if (t.v === '(') depth++;
          if (t.v === ')') depth--;
          if (t.t === 'eof') fail(t);
        } while (depth > 0);
      } else if (kw('TYPEOF')) {
        q.unsupported.push('typeof');
        while (!kw('END') && peek().t !== 'eof') next();
        expectKw('END');
      } else if (kw('FIELDS') && toks[p + 1]?.v === '(') {
        q.unsupported.push('fields_function');
        next(); next(); next();
        if (next().v !== ')') fail(toks[p - 1] as Tok);
      } else {
        const t = ident();
        q.fields.push({ path: t.v, column: t.col });
      }
      if (peek().v !== ',') break;
      next();
    }
  }
  expectKw('FROM');
  const obj = ident();
  if (obj.v.includes('.')) fail(obj);
  q.object = obj.v;
  q.objectColumn = obj.col;

  if (kw('WHERE')) {
    next();
    for (;;) {
      if (peek().v === '(' || kw('NOT')) fail(peek(), 'the Salesforce sandbox supports WHERE conditions joined by AND only');
      const f = ident();
      let op: Operator;
      const o = next();
      if (o.t === 'op') op = o.v as Operator;
      else if (o.t === 'ident' && o.v.toUpperCase() === 'LIKE') op = 'LIKE';
      else if (o.t === 'ident' && o.v.toUpperCase() === 'IN') op = 'IN';
      else return fail(o);
      const values: Literal[] = [];
      const literal = (): Literal => {
        const t = next();
        if (t.lit) return t.lit;
        if (t.t === 'ident') {
          const u = t.v.toUpperCase();
          if (u === 'TRUE' || u === 'FALSE') return { kind: 'boolean', value: u === 'TRUE' };
          if (u === 'NULL') return { kind: 'null' };
        }
        return fail(t);
      };
      if (op === 'IN') {
        if (next().v !== '(') fail(toks[p - 1] as Tok);
        for (;;) {
          values.push(literal());
          const t = next();
          if (t.v === ')') break;
          if (t.v !== ',') fail(t);
        }
      } else {
        values.push(literal());
      }
      q.where.push({ field: f.v, op, values, column: f.col });
      if (kw('AND')) { next(); continue; }
      if (kw('OR')) fail(peek(), 'the Salesforce sandbox supports WHERE conditions joined by AND only');
      break;
    }
  }
  if (kw('GROUP')) {
    q.unsupported.push('group_by');
    next(); expectKw('BY');
    while (peek().t === 'ident' && !KEYWORDS.has(peek().v.toUpperCase())) { next(); if (peek().v === ',') next(); }
  }
  if (kw('ORDER')) {
    next(); expectKw('BY');
    for (;;) {
      const f = ident();
      let desc = false;
      if (kw('ASC')) next();
      else if (kw('DESC')) { next(); desc = true; }
      if (kw('NULLS')) { next(); if (kw('FIRST') || kw('LAST')) next(); else fail(peek()); }
      q.orderBy.push({ field: f.v, desc, column: f.col });
      if (peek().v !== ',') break;
      next();
    }
  }
  const intAfter = (word: string): number => {
    next();
    const t = next();
    if (t.lit?.kind !== 'number' || !Number.isInteger(t.lit.value) || t.lit.value < 0) return fail(t);
    void word;
    return t.lit.value;
  };
  if (kw('LIMIT')) q.limit = intAfter('LIMIT');
  if (kw('OFFSET')) q.offset = intAfter('OFFSET');
  if (peek().t !== 'eof') fail(peek());
  return q;
}
