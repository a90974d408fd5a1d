/**
 * Finds the references (var.x, local.y, module.m.out, google_x.y, data.t.n, …) in one attribute
 * value as @cdktf/hcl2json yields it: a string template whose `${…}` interpolations and `%{…}`
 * directives hold HCL expressions. Only what is inside those is scanned; literal text, escaped
 * `$${` and `%%{`, and string literals inside expressions (apart from their own interpolations)
 * are not references.
 */

/** `module.m[0].out` is ["module", "m", null, "out"]: names, with null for an index or splat. */
export type Traversal = readonly (string | null)[];

interface Token {
  kind: "ident" | "number" | "open" | "close" | "newline" | "punct";
  /** The identifier, operator or opening bracket ("(", "[", "{", "${", "%{", or '"' for a string). */
  text: string;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const OPERATORS = ["...", "=>", "==", "!=", "<=", ">=", "&&", "||", "::"];
/** Never references: literals and the words of for-expressions, conditionals and directives. */
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if", "else", "endif", "endfor"]);

/** Splits a template into the tokens of its expressions; literal text leaves no token. */
export function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;

  function text(quoted: boolean) {
    while (i < template.length) {
      const c = template.charAt(i);
      if (quoted && c === '"') {
        i++;
        return;
      }
      if (quoted && c === "\\") {
        i += 2;
      } else if ((c === "$" || c === "%") && template[i + 1] === c && template[i + 2] === "{") {
        i += 3;
      } else if ((c === "$" || c === "%") && template[i + 1] === "{") {
        tokens.push({ kind: "open", text: c === "$" ? "${" : "%{" });
        i += 2;
        expression();
        tokens.push({ kind: "close", text: "" });
      } else {
        i++;
      }
    }
  }

  /** Reads up to the `}` that closes the interpolation it is in. */
  function expression() {
    let braces = 0;
    while (i < template.length) {
      const c = template.charAt(i);
      if (c === "}" && braces === 0) {
        i++;
        return;
      }
      const word = match(IDENTIFIER);
      const number = match(NUMBER);
      if (word) {
        tokens.push({ kind: "ident", text: word });
        i += word.length;
      } else if (number) {
        tokens.push({ kind: "number", text: number });
        i += number.length;
      } else if (c === '"') {
        tokens.push({ kind: "open", text: '"' });
        i++;
        text(true);
        tokens.push({ kind: "close", text: "" });
      } else if (c === "(" || c === "[" || c === "{") {
        if (c === "{") braces++;
        tokens.push({ kind: "open", text: c });
        i++;
      } else if (c === ")" || c === "]" || c === "}") {
        if (c === "}") braces--;
        tokens.push({ kind: "close", text: "" });
        i++;
      } else if (c === "\n") {
        tokens.push({ kind: "newline", text: "\n" });
        i++;
      } else if (/\s/.test(c)) {
        i++;
      } else if (c === "#" || template.startsWith("//", i)) {
        while (i < template.length && template[i] !== "\n") i++;
      } else if (template.startsWith("/*", i)) {
        const end = template.indexOf("*/", i + 2);
        i = end < 0 ? template.length : end + 2;
      } else {
        const operator = OPERATORS.find((op) => template.startsWith(op, i)) ?? c;
        tokens.push({ kind: "punct", text: operator });
        i += operator.length;
      }
    }
  }

  function match(pattern: RegExp): string | undefined {
    pattern.lastIndex = i;
    return pattern.exec(template)?.[0];
  }

  text(false);
  return tokens;
}

/**
 * The traversals a template refers to, without function calls, object keys, keywords and the
 * names bound inside it (for-expression and `%{for}` variables) or around it (`bound`: dynamic
 * block iterators). A bare name that is none of those comes back as a one-part traversal.
 */
export function referencesIn(template: string, bound: ReadonlySet<string> = new Set()): Traversal[] {
  const tokens = tokenize(template);
  const references: Traversal[] = [];
  // A frame per open bracket, interpolation or string: the names a for-expression binds in it.
  const frames: { open: string; names: Set<string> }[] = [{ open: "", names: new Set(bound) }];

  tokens.forEach((token, t) => {
    if (token.kind === "open") {
      const frame = { open: token.text, names: new Set<string>() };
      // `%{ for x in … }` binds x for the rest of the template, not only inside the directive.
      const scope = token.text === "%{" ? (frames[frames.length - 1] ?? frame) : frame;
      frames.push(frame);
      if (["[", "{", "%{"].includes(token.text)) for (const name of forVariables(tokens, t + 1)) scope.names.add(name);
      return;
    }
    if (token.kind === "close") {
      if (frames.length > 1) frames.pop();
      return;
    }
    if (token.kind !== "ident" || KEYWORDS.has(token.text)) return;
    const previous = tokens[t - 1];
    const next = tokens[t + 1];
    if (isPunct(previous, ".") || isPunct(previous, "::") || isPunct(next, "::")) return;
    if (next?.kind === "open" && next.text === "(") return;
    if (isObjectKey(previous, next, frames[frames.length - 1]?.open)) return;
    if (frames.some((frame) => frame.names.has(token.text))) return;
    references.push(traversal(tokens, t));
  });
  return references;
}

/** The variables of a for-expression starting at `start` (`for k, v in …`), or none. */
function forVariables(tokens: Token[], start: number): string[] {
  let t = start;
  // Past line breaks, and the tilde of `%{~ for` (whitespace stripping).
  while (tokens[t]?.kind === "newline" || isPunct(tokens[t], "~")) t++;
  if (!isIdent(tokens[t], "for")) return [];
  const names: string[] = [];
  for (t++; t < tokens.length && !isIdent(tokens[t], "in"); t++) {
    const token = tokens[t];
    if (token?.kind === "ident") names.push(token.text);
  }
  return names;
}

function traversal(tokens: Token[], start: number): Traversal {
  const parts: (string | null)[] = [tokens[start]?.text ?? ""];
  let t = start + 1;
  for (;;) {
    const token = tokens[t];
    const next = tokens[t + 1];
    if (isPunct(token, ".") && next?.kind === "ident") {
      parts.push(next.text);
      t += 2;
    } else if (isPunct(token, ".") && next?.kind === "number") {
      parts.push(null);
      t += 2;
    } else if (token?.kind === "open" && token.text === "[") {
      parts.push(null);
      t = closingIndex(tokens, t) + 1;
    } else {
      return parts;
    }
  }
}

function closingIndex(tokens: Token[], open: number): number {
  let depth = 0;
  for (let t = open; t < tokens.length; t++) {
    const kind = tokens[t]?.kind;
    if (kind === "open") depth++;
    if (kind === "close" && --depth === 0) return t;
  }
  return tokens.length;
}

/** `{ name = …` or `, name: …` inside braces: an object key, not a reference. */
function isObjectKey(previous: Token | undefined, next: Token | undefined, open: string | undefined): boolean {
  if (open !== "{" || !(isPunct(next, "=") || isPunct(next, ":"))) return false;
  return previous?.kind === "newline" || isPunct(previous, ",") || (previous?.kind === "open" && previous.text === "{");
}

function isIdent(token: Token | undefined, text: string): boolean {
  return token?.kind === "ident" && token.text === text;
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === "punct" && token.text === text;
}
