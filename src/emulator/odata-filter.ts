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
  if (tokens.length === 0) throw odataError('the expression is empty');
  const parser = new FilterParser(tokens, fields);
  const predicate = parser.disjunction();
  parser.expectEnd();
  return predicate;
}

const text = (row: Readonly<Record<string, unknown>>, name: string): string =>
  String(row[name] ?? '').toLowerCase();

// Recursive descent, lowest precedence first: or < and < primary (parentheses, startswith, comparison).
class FilterParser {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly fields: readonly string[],
  ) {}

  disjunction(): RowPredicate {
    let left = this.conjunction();
    while (this.isWord(this.peek(), 'or')) {
      this.pos++;
      const [a, b] = [left, this.conjunction()];
      left = (row) => a(row) || b(row);
    }
    return left;
  }

  expectEnd(): void {
    if (this.pos < this.tokens.length) throw odataError(`unexpected ${this.describe(this.peek())}`);
  }

  private conjunction(): RowPredicate {
    let left = this.primary();
    while (this.isWord(this.peek(), 'and')) {
      this.pos++;
      const [a, b] = [left, this.primary()];
      left = (row) => a(row) && b(row);
    }
    return left;
  }

  private primary(): RowPredicate {
    const t = this.peek();
    if (t?.kind === 'punct' && t.text === '(') {
      this.pos++;
      const inner = this.disjunction();
      this.expect(')');
      return inner;
    }
    if (this.isWord(t, 'not')) throw odataError(`operator 'not' is not supported`);
    const next = this.tokens[this.pos + 1];
    if (t?.kind === 'word' && next?.kind === 'punct' && next.text === '(') return this.startswith(t);
    return this.comparison();
  }

  private startswith(name: Token): RowPredicate {
    if (name.text.toLowerCase() !== 'startswith') {
      throw odataError(`function '${name.text}' is not supported; use startswith`);
    }
    this.pos += 2;
    const field = this.field();
    this.expect(',');
    const prefix = this.literal();
    this.expect(')');
    return (row) => text(row, field).startsWith(prefix);
  }

  private comparison(): RowPredicate {
    const field = this.field();
    const op = this.tokens[this.pos++];
    const opText = op?.kind === 'word' ? op.text.toLowerCase() : '';
    if (opText === 'in') throw odataError(`the 'in' operator is not supported; use 'or'`);
    if (OTHER_OPERATORS.has(opText)) throw odataError(`operator '${op?.text}' is not supported`);
    if (opText !== 'eq' && opText !== 'ne') {
      throw odataError(`expected 'eq' or 'ne' after '${field}' but found ${this.describe(op)}`);
    }
    const value = this.literal();
    return opText === 'eq' ? (row) => text(row, field) === value : (row) => text(row, field) !== value;
  }

  private field(): string {
    const t = this.tokens[this.pos++];
    if (t?.kind !== 'word') throw odataError(`expected a property name but found ${this.describe(t)}`);
    const name = this.fields.find((f) => f.toLowerCase() === t.text.toLowerCase());
    if (!name)
      throw odataError(`property '${t.text}' cannot be filtered; supported: ${this.fields.join(', ')}`);
    return name;
  }

  private literal(): string {
    const t = this.tokens[this.pos++];
    if (t?.kind !== 'string')
      throw odataError(`expected a quoted string literal but found ${this.describe(t)}`);
    return t.text.toLowerCase();
  }

  private expect(punct: string): void {
    const t = this.tokens[this.pos++];
    if (t?.kind !== 'punct' || t.text !== punct) {
      throw odataError(`expected '${punct}' but found ${this.describe(t)}`);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(t: Token | undefined, word: string): boolean {
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  private describe(t: Token | undefined): string {
    if (!t) return 'end of expression';
    return `${t.kind === 'string' ? 'string literal ' : ''}'${t.text}' at position ${t.at}`;
  }
}
