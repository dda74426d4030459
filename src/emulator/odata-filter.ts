import { EmulatorError } from './responses.js';

/** A compiled `$filter`: true when the row matches. */
export type RowPredicate = (row: Readonly<Record<string, unknown>>) => boolean;

type Token = { kind: 'word' | 'string' | 'punct' | 'other'; text: string; at: number };

// Recognised so the error can say "not supported" rather than "syntax error".
const OTHER_OPERATORS = new Set(['gt', 'ge', 'lt', 'le', 'has', 'not', 'add', 'sub', 'mul', 'div', 'mod']);

const odataError = (message: string): EmulatorError =>
  new EmulatorError('ODataError', `Invalid $filter: ${message}`);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw odataError(`unterminated string literal starting at position ${i}`);
        if (source[j] === "'" && source[j + 1] === "'") [text, j] = [`${text}'`, j + 2];
        else if (source[j] === "'") break;
        else [text, j] = [text + source.charAt(j), j + 1];
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if ('(),'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, at: i++ });
    } else {
      const word =
        /^[A-Za-z_][\w.]*/.exec(source.slice(i))?.[0] ??
        /^\S+?(?=[\s(),']|$)/.exec(source.slice(i))?.[0] ??
        ch;
      tokens.push({ kind: /^[A-Za-z_]/.test(word) ? 'word' : 'other', text: word, at: i });
      i += word.length;
    }
  }
  return tokens;
}

/**
 * Compiles the `$filter` subset Defender documents for `/api/Software` (defender-api.md §3.1, §5):
 * `eq`, `ne`, `and`, `or`, parentheses and `startswith(field,'x')` over `fields`, with single-quoted
 * string literals (`''` escapes a quote). Comparisons ignore case, as Defender's SQL-backed filters do
 * and since ids, names and vendors are lower-case anyway; keywords and field names also ignore case.
 * Anything else (`in`, other fields, functions or operators, non-string literals) → 400 ODataError.
 */
export function compileFilter(source: string, fields: readonly string[]): RowPredicate {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const describe = (t: Token | undefined): string => {
    if (!t) return 'end of expression';
    return `${t.kind === 'string' ? 'string literal ' : ''}'${t.text}' at position ${t.at}`;
  };
  const isWord = (t: Token | undefined, word: string): boolean =>
    t?.kind === 'word' && t.text.toLowerCase() === word;
  const expect = (text: string): void => {
    const t = tokens[pos++];
    if (t?.kind !== 'punct' || t.text !== text)
      throw odataError(`expected '${text}' but found ${describe(t)}`);
  };
  const field = (): string => {
    const t = tokens[pos++];
    if (t?.kind !== 'word') throw odataError(`expected a property name but found ${describe(t)}`);
    const name = fields.find((f) => f.toLowerCase() === t.text.toLowerCase());
    if (!name) throw odataError(`property '${t.text}' cannot be filtered; supported: ${fields.join(', ')}`);
    return name;
  };
  const literal = (): string => {
    const t = tokens[pos++];
    if (t?.kind !== 'string') throw odataError(`expected a quoted string literal but found ${describe(t)}`);
    return t.text.toLowerCase();
  };
  const text = (row: Readonly<Record<string, unknown>>, name: string): string =>
    String(row[name] ?? '').toLowerCase();

  const primary = (): RowPredicate => {
    const t = peek();
    if (t?.kind === 'punct' && t.text === '(') {
      pos++;
      const inner = disjunction();
      expect(')');
      return inner;
    }
    if (isWord(t, 'not')) throw odataError(`operator 'not' is not supported`);
    const next = tokens[pos + 1];
    if (t?.kind === 'word' && next?.kind === 'punct' && next.text === '(') {
      if (t.text.toLowerCase() !== 'startswith')
        throw odataError(`function '${t.text}' is not supported; use startswith`);
      pos += 2;
      const name = field();
      expect(',');
      const prefix = literal();
      expect(')');
      return (row) => text(row, name).startsWith(prefix);
    }
    const name = field();
    const op = tokens[pos++];
    const opText = op?.text.toLowerCase() ?? '';
    if (op?.kind === 'word' && opText === 'in')
      throw odataError(`the 'in' operator is not supported; use 'or'`);
    if (op?.kind === 'word' && OTHER_OPERATORS.has(opText))
      throw odataError(`operator '${op.text}' is not supported`);
    if (op?.kind !== 'word' || (opText !== 'eq' && opText !== 'ne')) {
      throw odataError(`expected 'eq' or 'ne' after '${name}' but found ${describe(op)}`);
    }
    const value = literal();
    return opText === 'eq' ? (row) => text(row, name) === value : (row) => text(row, name) !== value;
  };
  const conjunction = (): RowPredicate => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      const [a, b] = [left, primary()];
      left = (row) => a(row) && b(row);
    }
    return left;
  };
  const disjunction = (): RowPredicate => {
    let left = conjunction();
    while (isWord(peek(), 'or')) {
      pos++;
      const [a, b] = [left, conjunction()];
      left = (row) => a(row) || b(row);
    }
    return left;
  };

  if (tokens.length === 0) throw odataError('the expression is empty');
  const predicate = disjunction();
  if (pos < tokens.length) throw odataError(`unexpected ${describe(peek())}`);
  return predicate;
}
